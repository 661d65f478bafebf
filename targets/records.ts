import type { PredictionApi, Records } from '../core/observations.js';
import type { Dataset } from './datasets/types.js';
import type { Network } from './models/network.js';
import { argmaxRow, predictProba } from './training/evaluate.js';

/** Copies the given rows of a dataset into standalone records. */
export function takeRecords(data: Dataset, rows: ArrayLike<number>): Records {
  const { d } = data;
  const x = new Float32Array(rows.length * d);
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    x.set(data.features.subarray(rows[i] * d, rows[i] * d + d), i * d);
    y[i] = data.labels[rows[i]];
  }
  return { n: rows.length, d, x, y };
}

/** Records viewed as a dataset, so the batch and evaluation code can read them. */
function asDataset(r: Records, numClasses: number): Dataset {
  return {
    description: 'records',
    n: r.n,
    d: r.d,
    numClasses,
    features: r.x,
    labels: r.y,
    featureNames: [],
    classNames: [],
  };
}

/**
 * The black-box endpoint of a trained network: probabilities, or only the top label. Answers
 * are remembered per records object, since several attacks query the same candidates.
 */
export function predictionApi(net: Network, output: PredictionApi['output'] = 'probabilities'): PredictionApi {
  const c = net.numClasses;
  const answered = new WeakMap<Records, Float64Array>();
  const answer = (records: Records): Float64Array => {
    const rows = Int32Array.from({ length: records.n }, (_, i) => i);
    const proba = predictProba(net, asDataset(records, c), rows);
    if (output === 'probabilities') return proba;
    const onehot = new Float64Array(proba.length);
    for (let i = 0; i < records.n; i++) onehot[i * c + argmaxRow(proba, i, c)] = 1;
    return onehot;
  };
  return {
    output,
    numClasses: c,
    predict(records) {
      let out = answered.get(records);
      if (!out) answered.set(records, (out = answer(records)));
      // A copy, so one attack cannot change what the next one sees.
      return out.slice();
    },
  };
}
