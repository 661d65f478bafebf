import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/rng.js';
import { selectBackend } from '../../../targets/backend.js';
import { models } from '../../../targets/models/index.js';
import type { Network } from '../../../targets/models/network.js';
import { trainCentral } from '../../../targets/training/central.js';
import { accuracyFromProba, evaluate, lossesFromProba, predictProba } from '../../../targets/training/evaluate.js';
import { recipeSchema } from '../../../targets/training/optimizers.js';
import { firstRows, randomDataset, separableDataset } from '../models/fixtures.js';

const build = (model: string, options: Record<string, unknown>, d: number, classes: number, seed = 1, imageShape?: [number, number, number]): Network =>
  models.get(model).build({ d, numClasses: classes, imageShape }, models.get(model).options.parse(options), Rng.fromSeed(seed));

const squaredWeightNorm = async (net: Network): Promise<number> =>
  (await net.getWeights()).reduce((s, w) => s + w.reduce((t, v) => t + v * v, 0), 0);

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: training a separable problem lowers the loss to near zero`, async () => {
    await selectBackend(backend);
    const data = separableDataset('separable', 300, 12, 3);
    const rows = firstRows(data.n);
    for (const [model, options, optimizer] of [
      ['mlp', { hidden: [16], activation: 'tanh' }, { optimizer: 'sgd', learningRate: 0.2, momentum: 0.5 }],
      ['logistic', {}, { optimizer: 'adam', learningRate: 0.05 }],
    ] as const) {
      const net = build(model, options, data.d, data.numClasses);
      const before = evaluate(net, data, rows);
      const epochs: number[] = [];
      const stats = await trainCentral(net, data, rows, recipeSchema.parse({ ...optimizer, batchSize: 32, epochs: 8 }), Rng.fromSeed(2), (e) => epochs.push(e));
      const after = evaluate(net, data, rows);
      assert.deepEqual(epochs, [0, 1, 2, 3, 4, 5, 6, 7]);
      assert.equal(stats.lossCurve.length, 8);
      assert.ok(stats.lossCurve[7] < stats.lossCurve[0] / 4, `${model}: loss curve ${stats.lossCurve.join(', ')}`);
      assert.ok(after.loss < before.loss / 4 && after.accuracy > 0.95, `${model}: ${JSON.stringify({ before, after })}`);
      assert.ok(stats.samplesPerSecond > 0 && stats.seconds > 0);
      net.dispose();
    }
  });
}

test('cnn trains on a small image problem', async () => {
  await selectBackend('wasm');
  const data = { ...separableDataset('images', 200, 64, 3, 0.8), imageShape: [8, 8, 1] as [number, number, number] };
  const net = build('cnn', { filters: 4, kernel: 3, stride: 1, hidden: 16 }, 64, 3, 1, data.imageShape);
  const stats = await trainCentral(net, data, firstRows(data.n), recipeSchema.parse({ learningRate: 0.1, batchSize: 25, epochs: 6 }), Rng.fromSeed(3));
  assert.ok(stats.lossCurve[5] < stats.lossCurve[0] / 2, `loss curve ${stats.lossCurve.join(', ')}`);
  net.dispose();
});

test('a partial last batch counts every example once in the epoch loss', async () => {
  await selectBackend('wasm');
  const data = randomDataset('partial', 23, 5, 4);
  const rows = firstRows(data.n);
  const net = build('mlp', { hidden: [6] }, data.d, data.numClasses);
  // A vanishing step leaves the model as it was, so the epoch loss is its mean loss on the rows.
  const stats = await trainCentral(net, data, rows, recipeSchema.parse({ learningRate: 1e-12, batchSize: 10, epochs: 1 }), Rng.fromSeed(4));
  const { loss } = evaluate(net, data, rows);
  assert.ok(Math.abs(stats.lossCurve[0] - loss) < 1e-5, `${stats.lossCurve[0]} vs ${loss}`);
  net.dispose();
});

test('weight decay shrinks the weights relative to the same run without it', async () => {
  await selectBackend('wasm');
  const data = randomDataset('decay', 64, 8, 3);
  const norms: number[] = [];
  for (const weightDecay of [0, 0.05]) {
    const net = build('mlp', { hidden: [10] }, data.d, data.numClasses);
    await trainCentral(net, data, firstRows(data.n), recipeSchema.parse({ learningRate: 0.1, batchSize: 16, epochs: 5, weightDecay }), Rng.fromSeed(5));
    norms.push(await squaredWeightNorm(net));
    net.dispose();
  }
  assert.ok(norms[1] < norms[0] * 0.95, `squared weight norms ${norms.join(' vs ')}`);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: training and evaluation leave no tensors behind`, async () => {
    await selectBackend(backend);
    const data = randomDataset('leak', 50, 64, 3, [8, 8, 1]);
    const rows = firstRows(data.n);
    for (const [model, options] of [
      ['mlp', { hidden: [9] }],
      ['cnn', { filters: 2, kernel: 3, hidden: 5 }],
    ] as const) {
      const net = build(model, options, data.d, data.numClasses, 1, data.imageShape);
      const before = tf.memory().numTensors;
      for (const optimizer of ['sgd', 'adam'] as const) {
        const recipe = recipeSchema.parse({ optimizer, momentum: 0.9, weightDecay: 0.01, batchSize: 16, epochs: 2 });
        await trainCentral(net, data, rows, recipe, Rng.fromSeed(6));
      }
      evaluate(net, data, rows);
      tf.tidy(() => {
        const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3), 'float32') as tf.Tensor2D;
        net.perExampleSquaredNorms(tf.zeros([4, data.d]), y);
      });
      assert.equal(tf.memory().numTensors, before, `${model} on ${backend}`);
      net.dispose();
    }
  });
}

test('evaluate: probabilities, per-record losses and accuracy agree', async () => {
  await selectBackend('wasm');
  const data = randomDataset('eval', 1500, 7, 4);
  const rows = firstRows(data.n);
  const net = build('mlp', { hidden: [5] }, data.d, data.numClasses);
  // More rows than one prediction chunk, so chunking is covered.
  const proba = predictProba(net, data, rows);
  assert.equal(proba.length, data.n * 4);
  for (let i = 0; i < data.n; i++) {
    const s = proba[i * 4] + proba[i * 4 + 1] + proba[i * 4 + 2] + proba[i * 4 + 3];
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  const losses = lossesFromProba(proba, data.labels, 4);
  const { accuracy, loss } = evaluate(net, data, rows);
  assert.ok(Math.abs(loss - losses.reduce((a, b) => a + b, 0) / data.n) < 1e-9);
  assert.equal(accuracy, accuracyFromProba(proba, data.labels, 4));
  net.dispose();
});

test('lossesFromProba clamps a zero probability; accuracyFromProba takes the first maximum', () => {
  const proba = Float32Array.from([0.7, 0.3, 0, 1, 0.5, 0.5]);
  assert.deepEqual(Array.from(lossesFromProba(proba, [0, 0, 1], 2)), [-Math.log(Math.fround(0.7)), -Math.log(1e-12), -Math.log(0.5)]);
  assert.equal(accuracyFromProba(proba, [0, 1, 1], 2), 2 / 3);
});
