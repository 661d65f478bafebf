import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../datasets/types.js';
import type { Network } from '../models/network.js';
import { BatchMaker } from './batches.js';

const CHUNK = 1024;

/** Logits for the given rows, [rows.length x classes] row-major. */
export function predictLogits(net: Network, data: Dataset, rows: ArrayLike<number>): Float32Array {
  const c = net.numClasses;
  const out = new Float32Array(rows.length * c);
  const batches = new BatchMaker(data);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(rows.length, start + CHUNK);
    const { x, y } = batches.make(rows, start, end);
    const z = tf.tidy(() => net.logits(x));
    out.set(z.dataSync(), start * c);
    tf.dispose([x, y, z]);
  }
  return out;
}

/**
 * Row-wise softmax in float64. A memorised record's probability is 1 - 1e-9 or closer, which
 * float32 rounds to 1; attacks that score log(p / (1 - p)) need the difference kept.
 */
export function softmaxRows(logits: ArrayLike<number>, numClasses: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let base = 0; base < logits.length; base += numClasses) {
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) max = Math.max(max, logits[base + k]);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += out[base + k] = Math.exp(logits[base + k] - max);
    for (let k = 0; k < numClasses; k++) out[base + k] /= sum;
  }
  return out;
}

/** Softmax probabilities (float64) for the given rows, [rows.length x classes] row-major. */
export function predictProba(net: Network, data: Dataset, rows: ArrayLike<number>): Float64Array {
  return softmaxRows(predictLogits(net, data, rows), net.numClasses);
}

/** Per-record cross-entropy loss from probabilities (clamped so a confident miss stays finite). */
export function lossesFromProba(proba: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = -Math.log(Math.max(proba[i * numClasses + labels[i]], 1e-12));
  return out;
}

/** Index of the largest probability in row `i` of a row-major [rows x numClasses] array. */
export function argmaxRow(proba: ArrayLike<number>, i: number, numClasses: number): number {
  let best = 0;
  for (let k = 1; k < numClasses; k++) if (proba[i * numClasses + k] > proba[i * numClasses + best]) best = k;
  return best;
}

export function accuracyFromProba(proba: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number {
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
