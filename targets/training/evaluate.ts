import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../datasets/types.js';
import type { Network } from '../models/network.js';
import { BatchMaker } from './batches.js';

const CHUNK = 1024;

/** Softmax probabilities for the given rows, [rows.length x classes] row-major. */
export function predictProba(net: Network, data: Dataset, rows: ArrayLike<number>): Float32Array {
  const c = net.numClasses;
  const out = new Float32Array(rows.length * c);
  const batches = new BatchMaker(data);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(rows.length, start + CHUNK);
    const { x, y } = batches.make(rows, start, end);
    const p = tf.tidy(() => tf.softmax(net.logits(x)));
    out.set(p.dataSync(), start * c);
    tf.dispose([x, y, p]);
  }
  return out;
}

/** Per-record cross-entropy loss from probabilities (clamped so a confident miss stays finite). */
export function lossesFromProba(proba: Float32Array, labels: ArrayLike<number>, numClasses: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = -Math.log(Math.max(proba[i * numClasses + labels[i]], 1e-12));
  return out;
}

/** Index of the largest probability in row `i` of a row-major [rows x numClasses] array. */
export function argmaxRow(proba: Float32Array, i: number, numClasses: number): number {
  let best = 0;
  for (let k = 1; k < numClasses; k++) if (proba[i * numClasses + k] > proba[i * numClasses + best]) best = k;
  return best;
}

export function accuracyFromProba(proba: Float32Array, labels: ArrayLike<number>, numClasses: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    if (argmaxRow(proba, i, numClasses) === labels[i]) correct++;
  }
  return correct / labels.length;
}

/** Accuracy and mean loss of the model on the given rows. */
export function evaluate(net: Network, data: Dataset, rows: Int32Array): { accuracy: number; loss: number } {
  const proba = predictProba(net, data, rows);
  const labels = Array.from(rows, (r) => data.labels[r]);
  const losses = lossesFromProba(proba, labels, net.numClasses);
  return {
    accuracy: accuracyFromProba(proba, labels, net.numClasses),
    loss: losses.reduce((s, v) => s + v, 0) / Math.max(1, losses.length),
  };
}
