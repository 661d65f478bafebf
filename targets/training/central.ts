import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import type { Dataset } from '../datasets/types.js';
import type { Network } from '../models/network.js';
import { BatchMaker } from './batches.js';
import { createOptimizer, type Optimizer, type Recipe } from './optimizers.js';
import type { EpochCallback, Trainer, TrainStats } from './trainer.js';


/**
 * One optimizer step per minibatch of `order`, in order, the last partial batch kept. Each
 * batch's summed loss is added to `lossSum` on the backend (the old scalar is disposed), so a
 * pass syncs with the backend only when the caller reads the returned sum.
 */
export function sgdPass(net: Network, batches: BatchMaker, optimizer: Optimizer, order: Int32Array, batchSize: number, lossSum: tf.Scalar): tf.Scalar {
  let sum = lossSum;
  for (let start = 0; start < order.length; start += batchSize) {
    const { x, y } = batches.make(order, start, Math.min(order.length, start + batchSize));
    const next = tf.tidy(() => {
      const { grads, lossSum: l } = net.gradients(x, y);
      return { params: optimizer.step(net.params, grads), loss: tf.add(sum, l) as tf.Scalar };
    });
    net.setParams(next.params);
    sum.dispose();
    sum = next.loss;
    x.dispose();
    y.dispose();
  }
  return sum;
}

/**
 * Minibatch training on `indices` of `data`: a fresh shuffle each epoch from `rng`, the last
 * partial batch kept. Loss sums stay on the backend until the epoch ends (one sync per epoch).
 */
export async function trainCentral(
  net: Network,
  data: Dataset,
  indices: Int32Array,
  recipe: Recipe,
  rng: Rng,
  onEpoch?: EpochCallback,
): Promise<TrainStats> {
  const optimizer = createOptimizer(recipe);
  const batches = new BatchMaker(data);
  const order = Int32Array.from(indices);
  const lossCurve: number[] = [];
  const t0 = performance.now();
  try {
    for (let epoch = 0; epoch < recipe.epochs; epoch++) {
      rng.shuffle(order);
      const lossSum = sgdPass(net, batches, optimizer, order, recipe.batchSize, tf.scalar(0));
      const mean = (await lossSum.data())[0] / order.length;
      lossSum.dispose();
      lossCurve.push(mean);
      onEpoch?.(epoch, mean);
    }
  } finally {
    optimizer.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { lossCurve, seconds, samplesPerSecond: (order.length * recipe.epochs) / seconds };
}

/** Plain minibatch training with the recipe's optimizer: the non-private trainer. */
export function centralTrainer(recipe: Recipe): Trainer {
  return { epochs: recipe.epochs, train: (net, data, rows, rng, onEpoch) => trainCentral(net, data, rows, recipe, rng, onEpoch) };
}
