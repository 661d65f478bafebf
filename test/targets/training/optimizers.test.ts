import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../targets/backend.js';
import { createOptimizer, recipeSchema } from '../../../targets/training/optimizers.js';

const P0 = [1, -2, 0.5];
const G1 = [0.5, -1, 2];
const G2 = [-0.25, 0.5, 1];

/**
 * Runs the optimizer for the given gradient steps from P0 and returns the params after each.
 * It disposes each gradient after its step, as a caller may, so no state may alias one.
 */
function run(recipe: Record<string, unknown>, gradients: number[][]): number[][] {
  const optimizer = createOptimizer(recipeSchema.parse(recipe));
  let p: tf.Tensor = tf.tensor1d(P0);
  const out: number[][] = [];
  for (const g of gradients) {
    const grad = tf.tensor1d(g);
    const [next] = optimizer.step([p], [grad]);
    tf.dispose([p, grad]);
    p = next;
    out.push(Array.from(p.dataSync()));
  }
  p.dispose();
  optimizer.dispose();
  return out;
}

function assertClose(actual: number[], expected: number[], what: string): void {
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 1e-6, `${what}[${i}]: ${a} vs ${expected[i]}`));
}

test('sgd with momentum: buffer starts at the gradient, then v = mu v + g (PyTorch)', async () => {
  await selectBackend('cpu');
  const [lr, mu] = [0.1, 0.9];
  const [p1, p2] = run({ optimizer: 'sgd', learningRate: lr, momentum: mu }, [G1, G2]);
  const e1 = P0.map((p, i) => p - lr * G1[i]);
  assertClose(p1, e1, 'step 1');
  assertClose(p2, e1.map((p, i) => p - lr * (mu * G1[i] + G2[i])), 'step 2');
});

test('adam: first two steps match Algorithm 1 with bias correction', async () => {
  await selectBackend('cpu');
  const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
  const [p1, p2] = run({ optimizer: 'adam', learningRate: lr }, [G1, G2]);
  // Step 1: m_hat = g, v_hat = g^2, so each param moves by lr * g / (|g| + eps).
  const e1 = P0.map((p, i) => p - (lr * G1[i]) / (Math.abs(G1[i]) + eps));
  assertClose(p1, e1, 'step 1');
  const e2 = e1.map((p, i) => {
    const m = (1 - b1) * (b1 * G1[i] + G2[i]);
    const v = (1 - b2) * (b2 * G1[i] ** 2 + G2[i] ** 2);
    return p - (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
  });
  assertClose(p2, e2, 'step 2');
});

test('weight decay adds wd * p to the gradient, so a zero gradient shrinks the weights', async () => {
  await selectBackend('cpu');
  const [lr, wd] = [0.1, 0.5];
  const [sgd] = run({ optimizer: 'sgd', learningRate: lr, weightDecay: wd }, [[0, 0, 0]]);
  assertClose(sgd, P0.map((p) => p * (1 - lr * wd)), 'sgd');
  const [adam] = run({ optimizer: 'adam', learningRate: lr, weightDecay: wd }, [[0, 0, 0]]);
  // Adam's first step moves each param by lr against the sign of wd * p.
  assertClose(adam, P0.map((p) => p - lr * Math.sign(p)), 'adam');
});

test('optimizers hold no tensors after dispose', async () => {
  await selectBackend('cpu');
  const before = tf.memory().numTensors;
  run({ optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.1 }, [G1, G2]);
  run({ optimizer: 'adam', weightDecay: 0.1 }, [G1, G2]);
  assert.equal(tf.memory().numTensors, before);
});
