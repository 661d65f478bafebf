import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/rng.js';
import { selectBackend } from '../../../targets/backend.js';
import { models } from '../../../targets/models/index.js';
import type { Network } from '../../../targets/models/network.js';
import { BatchMaker } from '../../../targets/training/batches.js';
import { firstRows, randomDataset } from './fixtures.js';

/**
 * Small models of every kind. On wasm, hidden widths above the batch size take Dense's
 * transposed forward path and the class layer the plain one, so both are checked.
 */
const CASES = [
  { name: 'logistic', model: 'logistic', options: {}, d: 6, classes: 3 },
  { name: 'mlp tanh', model: 'mlp', options: { hidden: [7, 5], activation: 'tanh' }, d: 6, classes: 3 },
  { name: 'mlp relu', model: 'mlp', options: { hidden: [7], activation: 'relu' }, d: 6, classes: 3 },
  { name: 'cnn', model: 'cnn', options: { filters: 2, kernel: 3, stride: 2, hidden: 6 }, d: 64, classes: 3, image: [8, 8, 1] },
] as const;
const BATCH = 5;

function build(c: (typeof CASES)[number], seed: string): { net: Network; x: tf.Tensor2D; y: tf.Tensor2D; labels: Int32Array } {
  const image = 'image' in c ? ([...c.image] as [number, number, number]) : undefined;
  const data = randomDataset(`grad/${c.name}/${seed}`, BATCH, c.d, c.classes, image);
  const def = models.get(c.model);
  const net = def.build({ d: c.d, numClasses: c.classes, imageShape: image }, def.options.parse(c.options), Rng.fromSeed(seed));
  return { net, ...new BatchMaker(data).make(firstRows(BATCH), 0, BATCH), labels: data.labels };
}

/** Mean cross-entropy from the float32 logits, reduced in float64 so the differences stay clean. */
function meanLoss(net: Network, x: tf.Tensor2D, labels: Int32Array): number {
  const logits = tf.tidy(() => net.logits(x));
  const z = logits.dataSync();
  logits.dispose();
  const c = net.numClasses;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = Array.from(z.subarray(i * c, i * c + c));
    const m = Math.max(...row);
    sum += m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - row[labels[i]];
  }
  return sum / labels.length;
}

/** Sets coordinate j of param k to `value`, keeping every other param. */
function setCoordinate(net: Network, k: number, values: Float32Array, j: number, value: number): void {
  const next = Float32Array.from(values);
  next[j] = value;
  net.setParams(net.params.map((p, i) => (i === k ? tf.tensor(next, p.shape) : p)));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gradients on ${backend}`, () => {
    for (const c of CASES) {
      test(`${c.name}: Network.gradients matches central finite differences`, async () => {
        await selectBackend(backend);
        const { net, x, y, labels } = build(c, 'fd');
        const { grads, lossSum } = tf.tidy(() => net.gradients(x, y));
        assert.ok(Math.abs(lossSum.dataSync()[0] / BATCH - meanLoss(net, x, labels)) < 1e-5, 'lossSum is the summed loss');
        const analytic = grads.map((g) => Float32Array.from(g.dataSync()));
        tf.dispose([...grads, lossSum]);

        const pick = Rng.fromSeed(`pick/${c.name}`);
        const eps = 1e-2;
        for (let k = 0; k < analytic.length; k++) {
          const values = Float32Array.from(net.params[k].dataSync());
          const coords = values.length <= 8 ? [...values.keys()] : Array.from({ length: 8 }, () => pick.int(values.length));
          const mid = meanLoss(net, x, labels);
          for (const j of coords) {
            setCoordinate(net, k, values, j, values[j] + eps);
            const up = meanLoss(net, x, labels);
            setCoordinate(net, k, values, j, values[j] - eps);
            const down = meanLoss(net, x, labels);
            setCoordinate(net, k, values, j, values[j]);
            const numeric = (up - down) / (2 * eps);
            const a = analytic[k][j];
            // Relative error with a floor: float32 logits leave ~1e-5 of noise in the difference.
            const err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-3);
            // Where the step crosses a ReLU kink the loss is piecewise linear there, and the
            // gradient on this side lies between the two one-sided slopes.
            const [lo, hi] = [(mid - down) / eps, (up - mid) / eps].sort((p, q) => p - q);
            const slack = 2e-2 * Math.max(Math.abs(lo) + Math.abs(hi), 1e-3);
            const atKink = a >= lo - slack && a <= hi + slack && hi - lo > 2 * slack;
            assert.ok(err < 2e-2 || atKink, `param ${k} coordinate ${j}: analytic ${a} vs numeric ${numeric} (one-sided ${lo}, ${hi})`);
          }
        }
        tf.dispose([x, y]);
        net.dispose();
      });

      test(`${c.name}: per-example squared norms equal the norms of one-example gradients`, async () => {
        await selectBackend(backend);
        const { net, x, y } = build(c, 'norms');
        const sq = tf.tidy(() => net.perExampleSquaredNorms(x, y));
        const norms = Float32Array.from(sq.dataSync());
        sq.dispose();
        // `gradients` averages over the batch: a batch of one gives that example's own gradient,
        // and the batch gradient is the mean of those.
        const single = Array.from({ length: BATCH }, (_, i) =>
          tf.tidy(() => net.gradients(tf.slice(x, [i, 0], [1, -1]), tf.slice(y, [i, 0], [1, -1])).grads),
        );
        for (let i = 0; i < BATCH; i++) {
          const e = tf.tidy(() => tf.addN(single[i].map((g) => tf.sum(tf.square(g)))).dataSync()[0]);
          assert.ok(Math.abs(norms[i] - e) <= 1e-4 * e + 1e-7, `example ${i}: ${norms[i]} vs ${e}`);
        }
        const batch = tf.tidy(() => net.gradients(x, y).grads);
        batch.forEach((g, k) => {
          const mean = tf.tidy(() => tf.div(tf.addN(single.map((gs) => gs[k])), BATCH));
          assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(mean, g))).dataSync()[0]) < 1e-6, `param ${k}: mean of one-example gradients`);
          mean.dispose();
        });
        tf.dispose([...batch, ...single.flat()]);
        tf.dispose([x, y]);
        net.dispose();
      });

      test(`${c.name}: the clipped gradient sum equals the sum of one-example gradients clipped one by one`, async () => {
        await selectBackend(backend);
        const { net, x, y } = build(c, 'clip');
        const single = Array.from({ length: BATCH }, (_, i) =>
          tf.tidy(() => net.gradients(tf.slice(x, [i, 0], [1, -1]), tf.slice(y, [i, 0], [1, -1])).grads),
        );
        const norms = single.map((gs) => Math.sqrt(tf.tidy(() => tf.addN(gs.map((g) => tf.sum(tf.square(g)))).dataSync()[0])));
        // A clip between the smallest and the largest norm: some examples clipped, some not.
        const sorted = [...norms].sort((a, b) => a - b);
        const clip = (sorted[1] + sorted[2]) / 2;
        const { grads, clipped } = tf.tidy(() => net.clippedGradientSum(x, y, clip));
        assert.equal(clipped.dataSync()[0], norms.filter((n) => n > clip).length);
        grads.forEach((g, k) => {
          const expected = tf.tidy(() => tf.addN(single.map((gs, i) => tf.mul(gs[k], Math.min(1, clip / norms[i])))));
          const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(expected, g))).dataSync()[0]);
          const scale = tf.tidy(() => tf.max(tf.abs(expected)).dataSync()[0]);
          assert.ok(diff <= 1e-5 * Math.max(1, scale), `param ${k}: ${diff}`);
          expected.dispose();
        });
        tf.dispose([...grads, clipped, ...single.flat()]);
        tf.dispose([x, y]);
        net.dispose();
      });
    }
  });
}
