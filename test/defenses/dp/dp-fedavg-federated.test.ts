import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { dpFedAvgConfigSchema, resolveDpFedAvg } from '../../../defenses/dp/dp-fedavg-config.js';
import type { DpFedAvgMechanism } from '../../../defenses/dp/dp-fedavg.js';
import { dpFederated } from '../../../defenses/dp/dp-federated.js';
import { clipNorm } from '../../../defenses/robust/norm-bounded.js';
import { selectBackend } from '../../../targets/backend.js';
import { planFederated, type FederatedOptions } from '../../../targets/federated/config.js';
import { trainFederated } from '../../../targets/federated/train.js';
import { l2Norm } from '../../../targets/federated/vectors.js';
import { weightedMean } from '../../../targets/federated/weighted-mean.js';
import { firstRows, separableDataset } from '../../targets/models/fixtures.js';
import { smallRun } from '../../targets/federated/fixtures.js';

test('central DP-FedAvg among 100 clients learns at epsilon 1 and not at epsilon 0.05', async () => {
  await selectBackend('wasm');
  const data = separableDataset('dp-fedavg', 1200, 10, 3, 0.8);
  const options: FederatedOptions = { clients: 100, rounds: 10, clientsPerRound: 50, localBatchSize: 10, localLearningRate: 0.3 };
  const train = async (epsilon: number) => {
    const dp = resolveDpFedAvg(dpFedAvgConfigSchema.parse({ epsilon, clip: 0.5 }), planFederated(options))!;
    const { aggregator, clipping } = dpFederated(dp.mechanism, { aggregator: weightedMean });
    const run = await trainFederated({
      data,
      trainRows: firstRows(1000),
      testRows: Int32Array.from({ length: 200 }, (_, i) => 1000 + i),
      model: { id: 'logistic' },
      options,
      aggregator,
      rng: Rng.fromSeed('dp-fedavg-e2e'),
    });
    return { accuracy: run.curve.at(-1)!.accuracy, sigma: dp.mechanism.noiseMultiplier, clipping: clipping.rounds(), name: run.aggregator };
  };
  const modest = await train(1);
  const tiny = await train(0.05);
  // Chance is 1/3; at sigma ~ 110 the noise on the mean (sigma S / 50 ~ 1 per weight) swamps every round's signal.
  assert.ok(modest.accuracy > 0.85, `epsilon 1 (sigma ${modest.sigma}): accuracy ${modest.accuracy}`);
  assert.ok(tiny.accuracy < 0.7 && tiny.accuracy < modest.accuracy - 0.25, `epsilon 0.05 (sigma ${tiny.sigma}): accuracy ${tiny.accuracy}`);
  assert.match(modest.name, /^dp-fedavg\(sigma=\d+(\.\d+)?, S=0\.5\) > mean$/);
  assert.deepEqual(modest.clipping.map((r) => [r.round, r.updates]), Array.from({ length: 10 }, (_, r) => [r, 50]));
  assert.ok(modest.clipping.every((r) => r.clippedFraction >= 0 && r.clippedFraction <= 1 && r.norms.min <= r.norms.median && r.norms.median <= r.norms.max));
});

test('local DP: the server records each update as the client sent it, clipped and noised', async () => {
  await selectBackend('wasm');
  const mechanism: DpFedAvgMechanism = { mode: 'local', noiseMultiplier: 1, clip: 0.05, sampleRate: 1, clients: 4, steps: 2 };
  const options = { clients: 4, rounds: 2, record: { clientUpdates: [0], aggregates: 'all' as const } };
  const { aggregator, behaviours } = dpFederated(mechanism, { aggregator: weightedMean });
  const local = await trainFederated(smallRun({ options, aggregator, behaviours }));
  const plain = await trainFederated(smallRun({ options }));
  const o = local.observations;
  assert.deepEqual(o.exposes, ['clientUpdates', 'aggregates']);
  assert.deepEqual(o.participation.map((p) => Object.values(p.examples)), [[1, 1, 1, 1], [1, 1, 1, 1]], 'no example counts leave the clients');
  // Round 0 starts from the same model with the same client streams, so the honest updates are the plain run's.
  const residuals: number[] = [];
  for (const [client, sent] of o.clientUpdates.get(0)!) {
    const honest = plain.observations.clientUpdates.get(0)!.get(client)!;
    assert.ok(l2Norm(honest) > 0.05, 'the honest update is longer than S, so the clip matters');
    const clipped = clipNorm({ client, update: honest, examples: 1 }, 0.05).update;
    sent.forEach((v, i) => residuals.push(v - clipped[i]));
  }
  // 4 clients x 115 weights: the residual's sample std is within 15% of sigma * S = 0.05 (4.5 standard errors).
  const std = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
  assert.ok(Math.abs(std - 0.05) < 0.0075, `residual std ${std}`);
});

test('an empty round still moves the model by the noise, so no round tells that nobody took part', async () => {
  await selectBackend('wasm');
  const options = { clients: 4, rounds: 8, sampleRate: 0.25, record: { aggregates: 'all' as const } };
  const mechanism: DpFedAvgMechanism = { mode: 'central', noiseMultiplier: 1, clip: 1, sampleRate: 0.25, clients: 4, steps: 8 };
  const dp = await trainFederated(smallRun({ options, aggregator: dpFederated(mechanism, { aggregator: weightedMean }).aggregator }));
  const plain = await trainFederated(smallRun({ options }));
  const empty = dp.observations.participation.filter((p) => p.sampled.length === 0).map((p) => p.round);
  assert.ok(empty.length > 0, 'the seed gives an empty round');
  for (const round of empty) {
    assert.ok(l2Norm(dp.observations.aggregates.get(round)!) > 0, `round ${round} released noise`);
    assert.equal(plain.observations.aggregates.has(round), false, 'without DP an empty round aggregates nothing');
  }
});
