import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { resolveDpSgd, dpConfigSchema } from '../../../defenses/dp/config.js';
import { dpSgdTrainer, poissonSample } from '../../../defenses/dp/dp-sgd.js';
import { epsilon } from '../../../defenses/dp/accountants/accountant.js';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { selectBackend } from '../../../targets/backend.js';
import { mlp } from '../../../targets/models/mlp.js';
import { BatchMaker } from '../../../targets/training/batches.js';
import { recipeSchema } from '../../../targets/training/optimizers.js';
import { firstRows, randomDataset } from '../../targets/models/fixtures.js';

test('Poisson sampling: each row joins with probability q, independently', () => {
  const rows = Int32Array.from({ length: 1000 }, (_, i) => 5000 + i);
  const rng = Rng.fromSeed('poisson');
  const counts = new Float64Array(1000);
  let total = 0;
  const steps = 400;
  for (let s = 0; s < steps; s++) {
    const b = poissonSample(rows, 0.1, rng);
    total += b.length;
    for (let k = 1; k < b.length; k++) assert.ok(b[k] > b[k - 1], 'in order, no repeats');
    for (const r of b) counts[r - 5000]++;
  }
  assert.ok(Math.abs(total / steps - 100) < 3, `mean batch ${total / steps}`);
  // Per-row inclusion counts ~ Binomial(400, 0.1): mean 40, sd 6.
  const mean = counts.reduce((a, b) => a + b, 0) / 1000;
  const sd = Math.sqrt(counts.reduce((a, c) => a + (c - mean) ** 2, 0) / 999);
  assert.ok(Math.abs(mean - 40) < 1 && Math.abs(sd - 6) < 0.8, `mean ${mean}, sd ${sd}`);
  assert.deepEqual(Array.from(poissonSample(rows, 1, rng)), Array.from(rows));
});

/**
 * One step with q = 1 (the batch is every row, so it is known) and plain SGD at lr 1: the
 * update is -(clipped sum + noise) / N, so update * N + clipped sum is minus the noise.
 */
async function residualNoise(defect?: 'no-noise' | 'no-clip'): Promise<{ std: number; clipped: number }> {
  await selectBackend('wasm');
  const data = randomDataset('dp-step', 64, 20, 5);
  const net = mlp.build({ d: 20, numClasses: 5 }, mlp.options.parse({ hidden: [16] }), Rng.fromSeed('dp-net'));
  const before = await net.getWeights();
  const rows = firstRows(64);
  const { x, y } = new BatchMaker(data).make(rows, 0, 64);
  const sums = tf.tidy(() => net.clippedGradientSum(x, y, 0.5).grads.map((g) => g.dataSync().slice()));
  tf.dispose([x, y]);
  const recipe = recipeSchema.parse({ optimizer: 'sgd', learningRate: 1, batchSize: 64, epochs: 1 });
  const stats = await dpSgdTrainer(recipe, { noiseMultiplier: 2, clip: 0.5, sampleRate: 1, steps: 1 }, { defect }).train(net, data, rows, Rng.fromSeed('dp-train'));
  const after = await net.getWeights();
  net.dispose();
  let s2 = 0;
  let n = 0;
  after.forEach((w, k) =>
    w.forEach((v, j) => {
      const noise = -((v - before[k][j]) * 64 + sums[k][j]);
      s2 += noise * noise;
      n++;
    }),
  );
  return { std: Math.sqrt(s2 / n), clipped: stats.clippedFraction ?? NaN };
}

test('a DP-SGD step adds N(0, (sigma C)^2) to the clipped sum, and its defects are what they say', async () => {
  const correct = await residualNoise();
  // 437 coordinates: the sample std is within ~7% of sigma * C = 1 with high probability.
  assert.ok(Math.abs(correct.std - 1) < 0.12, `noise std ${correct.std}`);
  assert.ok(correct.clipped > 0 && correct.clipped <= 1);
  const noNoise = await residualNoise('no-noise');
  assert.ok(noNoise.std < 1e-4, `no noise: residual ${noNoise.std}`);
  // Without clipping the update holds the raw sum, so against the clipped sum the residual is no longer noise of scale 1.
  const noClip = await residualNoise('no-clip');
  assert.equal(noClip.clipped, 0, 'nothing is clipped');
  assert.ok(noClip.std > 1.2, `no clip: residual ${noClip.std}`);
});

test('resolveDpSgd: the noise for a target epsilon, the epsilon of a noise multiplier, and every refusal', () => {
  const training = { batchSize: 100, epochs: 5, records: 10000 };
  const byTarget = resolveDpSgd(dpConfigSchema.parse({ epsilon: 2 }), training)!;
  assert.equal(byTarget.mechanism.sampleRate, 0.01);
  assert.equal(byTarget.mechanism.steps, 500);
  assert.ok(byTarget.report.epsilon <= 2 && byTarget.report.epsilon > 1.98, `${byTarget.report.epsilon}`);
  const byNoise = resolveDpSgd(dpConfigSchema.parse({ noiseMultiplier: byTarget.mechanism.noiseMultiplier }), training)!;
  assert.ok(Math.abs(byNoise.report.epsilon - byTarget.report.epsilon) < 1e-12);
  const rdp = epsilon({ sampleRate: 0.01, noiseMultiplier: 1.2, steps: 500, delta: 1e-5, accountant: 'rdp' }).epsilon;
  assert.equal(resolveDpSgd(dpConfigSchema.parse({ noiseMultiplier: 1.2, accountant: 'rdp' }), training)!.report.epsilon, rdp);
  assert.equal(resolveDpSgd(dpConfigSchema.parse({ epsilon: Infinity }), training), undefined, 'epsilon .inf is DP off');
  assert.match(resolveDpSgd(dpConfigSchema.parse({ epsilon: 8, delta: 1e-3 }), training)!.report.warnings.join(' '), /delta 0.001 >= 1\/N/);

  assert.throws(() => resolveDpSgd(dpConfigSchema.parse({ epsilon: 2 }), { ...training, batchSize: 20000 }), (e: unknown) => e instanceof InputError && /lower training.batchSize/.test(e.message));
  assert.throws(() => resolveDpSgd(dpConfigSchema.parse({ epsilon: 0.05, accountant: 'rdp' }), training), (e: unknown) => e instanceof InputError && e.location.field?.startsWith('dp.') === true);
  assert.throws(() => dpConfigSchema.parse({ epsilon: 2, noiseMultiplier: 1 }), /exactly one of epsilon/);
  assert.throws(() => dpConfigSchema.parse({ epsilon: 2, clip: 0 }));
});
