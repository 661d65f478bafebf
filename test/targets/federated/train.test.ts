import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { selectBackend } from '../../../targets/backend.js';
import type { Aggregator } from '../../../targets/federated/aggregator.js';
import { clientSeed, seedRng, type ClientBehaviour } from '../../../targets/federated/client.js';
import { exchangeTotals } from '../../../targets/federated/costs.js';
import { trainFederated } from '../../../targets/federated/train.js';
import { buildModel } from '../../../targets/models/index.js';
import { trainCentral } from '../../../targets/training/central.js';
import { recipeSchema } from '../../../targets/training/optimizers.js';
import { maxAbsDiff, smallData, smallRun, trainRows } from './fixtures.js';

const input = { d: smallData.d, numClasses: smallData.numClasses };

/**
 * The exact equivalence: with one client holding every row, FedAvg's round is that client's
 * local SGD, which is trainCentral's epoch loop on the same rows with the same shuffle stream
 * (the client's round seed), the same batches and the same steps. The server then sets
 * w + 1 * ((w' - w) / 1), which is w' up to one float32 rounding of the subtraction and the addition.
 */
test('FedAvg with one client and one local epoch is central training on the same data and order', async () => {
  await selectBackend('wasm');
  for (const [localEpochs, localBatchSize] of [[1, 16], [3, 50]] as const) {
    const run = await trainFederated(smallRun({ options: { clients: 1, rounds: 1, localEpochs, localBatchSize, localLearningRate: 0.2 } }));
    const net = buildModel({ id: 'mlp', options: { hidden: [8] } }, input, Rng.fromSeed('federated').fork('init'));
    const recipe = recipeSchema.parse({ learningRate: 0.2, batchSize: localBatchSize, epochs: localEpochs });
    await trainCentral(net, smallData, trainRows, recipe, seedRng(clientSeed(Rng.fromSeed('federated'), 0, 0)));
    const central = await net.getWeights();
    net.dispose();
    assert.ok(maxAbsDiff(run.weights, central) < 1e-6, `max |fedavg - central| = ${maxAbsDiff(run.weights, central)}`);
    // And the model moved: the comparison is not of two untouched initialisations.
    const init = buildModel({ id: 'mlp', options: { hidden: [8] } }, input, Rng.fromSeed('federated').fork('init'));
    assert.ok(maxAbsDiff(await init.getWeights(), central) > 1e-2);
    init.dispose();
  }
});

test('localSteps walks through fresh shuffles an epoch at a time: whole epochs of steps equal localEpochs', async () => {
  await selectBackend('wasm');
  // 4 clients x 50 rows, batch 10: 5 steps an epoch.
  const base = { clients: 4, rounds: 2, localBatchSize: 10 };
  for (const epochs of [1, 2]) {
    const bySteps = await trainFederated(smallRun({ options: { ...base, localSteps: 5 * epochs } }));
    const byEpochs = await trainFederated(smallRun({ options: { ...base, localEpochs: epochs } }));
    assert.deepEqual(bySteps.weights, byEpochs.weights);
  }
  const partial = await trainFederated(smallRun({ options: { ...base, localSteps: 7 } }));
  const one = await trainFederated(smallRun({ options: { ...base, localEpochs: 1 } }));
  assert.ok(maxAbsDiff(partial.weights, one.weights) > 0);
});

test('FedSGD with one client is one full-batch gradient step; a minibatch is drawn when localBatchSize is set', async () => {
  await selectBackend('wasm');
  const run = await trainFederated(smallRun({ options: { algorithm: 'fedsgd', clients: 1, rounds: 1, serverLearningRate: 0.5 } }));
  const net = buildModel({ id: 'mlp', options: { hidden: [8] } }, input, Rng.fromSeed('federated').fork('init'));
  await trainCentral(net, smallData, trainRows, recipeSchema.parse({ learningRate: 0.5, batchSize: trainRows.length, epochs: 1 }), Rng.fromSeed(0));
  assert.ok(maxAbsDiff(run.weights, await net.getWeights()) < 1e-6);
  net.dispose();
  const mini = await trainFederated(smallRun({ options: { algorithm: 'fedsgd', clients: 2, rounds: 2, localBatchSize: 10 } }));
  assert.deepEqual(mini.observations.participation.map((p) => Object.values(p.examples)), [[10, 10], [10, 10]]);
  assert.equal(mini.observations.algorithm, 'fedsgd');
});

test('FedAvg learns the small problem; the curve has one point per evaluated round; no tensors are left behind', async () => {
  await selectBackend('wasm');
  const before = tf.memory().numTensors;
  const run = await trainFederated(smallRun({ options: { clients: 5, rounds: 6, evaluateEvery: 2, localBatchSize: 10, localLearningRate: 0.3 } }));
  assert.deepEqual(run.curve.map((c) => c.round), [1, 3, 5]);
  assert.ok(run.curve[2].accuracy > 0.9 && run.curve[2].loss < run.curve[0].loss, JSON.stringify(run.curve));
  assert.equal(run.partition.length, 5);
  assert.equal(run.transport, 'in-process');
  assert.equal(run.aggregator, 'mean');
  // Heavy observations are kept only when asked for.
  assert.deepEqual([run.observations.clientUpdates.size, run.observations.aggregates.size, run.observations.participation.length], [0, 0, 6]);
  const steps = await trainFederated(smallRun({ options: { algorithm: 'fedavg', localSteps: 7, rounds: 2 } }));
  assert.equal(steps.curve.length, 2);
  await trainFederated(smallRun({ options: { algorithm: 'fedsgd', rounds: 2 } }));
  assert.equal(tf.memory().numTensors, before);
});

test('sampling and dropout: who is asked, who drops, and an empty round leaves the model as it was', async () => {
  await selectBackend('wasm');
  const rounds = 8;
  const run = await trainFederated(smallRun({ options: { clients: 8, rounds, clientsPerRound: 5, dropout: 0.4 }, testRows: new Int32Array(0) }));
  const { participation } = run.observations;
  assert.equal(participation.length, rounds);
  for (const p of participation) {
    assert.equal(p.sampled.length, 5);
    assert.ok(p.dropped.every((k) => p.sampled.includes(k)));
    assert.deepEqual(p.included, p.sampled.filter((k) => !p.dropped.includes(k)));
    assert.deepEqual(Object.keys(p.examples).map(Number), p.included);
  }
  const dropped = participation.reduce((s, p) => s + p.dropped.length, 0);
  assert.ok(dropped > 5 && dropped < 30, `${dropped} of ${5 * rounds} dropped at p = 0.4`);
  // Only arriving clients cost upload bytes.
  run.costs.forEach((c, t) => assert.deepEqual(Object.keys(c.exchanges[1].clients).map(Number), participation[t].included));

  const poisson = await trainFederated(smallRun({ options: { clients: 8, rounds, sampleRate: 0.5 }, testRows: new Int32Array(0) }));
  const sizes = poisson.observations.participation.map((p) => p.sampled.length);
  assert.ok(new Set(sizes).size > 1, `Poisson sampling varies the round size: ${sizes}`);

  // A client that never answers: its rounds have no update, the model stays at its initialisation.
  const silent: ClientBehaviour = { name: 'silent', update: async () => null };
  const idle = await trainFederated(smallRun({ options: { clients: 1, rounds: 2, record: { aggregates: 'all' } }, behaviours: new Map([[0, silent]]) }));
  const init = buildModel({ id: 'mlp', options: { hidden: [8] } }, input, Rng.fromSeed('federated').fork('init'));
  assert.equal(maxAbsDiff(idle.weights, await init.getWeights()), 0);
  init.dispose();
  assert.deepEqual(idle.observations.participation[1], { round: 1, sampled: [0], dropped: [0], included: [], examples: {} });
  assert.equal(idle.observations.aggregates.size, 0);
});

test('observations: client updates only for the recorded rounds, aggregates as applied, behaviours change what arrives', async () => {
  await selectBackend('wasm');
  const boosted: ClientBehaviour = {
    name: 'boost',
    async update(_ctx, honest) {
      const u = await honest();
      return { ...u, update: u.update.map((v) => v * 10) };
    },
  };
  let seen = 0;
  const run = await trainFederated(
    smallRun({
      options: { clients: 3, rounds: 3, record: { clientUpdates: [1], aggregates: 'all' } },
      behaviours: new Map([[2, boosted]]),
      onRound: () => seen++,
    }),
  );
  const o = run.observations;
  assert.equal(seen, 3);
  assert.deepEqual(o.exposes, ['clientUpdates', 'aggregates']);
  assert.deepEqual([...o.clientUpdates.keys()], [1]);
  const updates = o.clientUpdates.get(1)!;
  assert.deepEqual([...updates.keys()], [0, 1, 2]);
  const params = o.shapes.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
  assert.equal(updates.get(0)!.length, params);
  assert.equal(o.transcript.size, 0);
  // The aggregate is the example-weighted mean of what arrived, the boosted update included.
  const n = Object.values(o.participation[1].examples);
  const total = n.reduce((s, v) => s + v, 0);
  const agg = o.aggregates.get(1)!;
  for (const i of [0, 17, params - 1]) {
    const expected = [0, 1, 2].reduce((s, k) => s + (n[k] / total) * updates.get(k)![i], 0);
    assert.ok(Math.abs(agg[i] - expected) < 1e-6 * Math.max(1, Math.abs(expected)), `${agg[i]} vs ${expected}`);
  }
  const norms = [0, 1, 2].map((k) => Math.hypot(...updates.get(k)!));
  assert.ok(norms[2] > 5 * Math.max(norms[0], norms[1]), `boosted client's update norm ${norms}`);
});

test('costs: per client, 4 bytes per parameter each way plus frame headers, one message each way', async () => {
  await selectBackend('wasm');
  const run = await trainFederated(smallRun({ options: { clients: 4, rounds: 1 } }));
  const params = run.weights.reduce((s, w) => s + w.length, 0);
  const [broadcast, upload] = run.costs[0].exchanges;
  const each = (traffic: object) => Object.fromEntries([0, 1, 2, 3].map((k) => [k, traffic]));
  assert.deepEqual(broadcast, { name: 'broadcast', trips: 1, clients: each({ sentBytes: 0, receivedBytes: 25 + 4 * params, messagesSent: 0 }), serverMessages: 4, computeMs: 0 });
  assert.deepEqual(upload, { name: 'upload', trips: 1, clients: each({ sentBytes: 21 + 4 * params, receivedBytes: 0, messagesSent: 1 }), serverMessages: 0, computeMs: 0 });
  assert.deepEqual(exchangeTotals(upload), { clients: 4, upBytes: 4 * (21 + 4 * params), downBytes: 0, messages: 4, maxClientBytes: 21 + 4 * params });
  assert.ok(run.costs[0].clientComputeMs > 0 && run.costs[0].measuredMs >= run.costs[0].clientComputeMs);
});

test('bad options are InputErrors naming the field; an aggregator asking for a server update needs root rows', async () => {
  await selectBackend('wasm');
  const fails = async (options: object, field: string, message: RegExp) =>
    assert.rejects(trainFederated(smallRun({ options })), (e: unknown) => e instanceof InputError && e.location.field === field && message.test(e.message));
  await fails({ clients: 4, sampleRate: 0.5, clientsPerRound: 2 }, 'federated.clientsPerRound', /not both/);
  await fails({ clients: 4, clientsPerRound: 5 }, 'federated.clientsPerRound', /raise clients/);
  await fails({ algorithm: 'fedsgd', localEpochs: 2 }, 'federated.localEpochs', /applies to fedavg/);
  await fails({ localEpochs: 1, localSteps: 5 }, 'federated.localSteps', /not both/);
  await fails({ rounds: 0 }, 'federated.rounds', /.+/);
  await fails({ clients: 2, partition: { kind: 'dirichlet', alpha: 0 } }, 'federated.partition.alpha', /> 0/);
  await fails({ clients: 2, partiton: { kind: 'iid' } }, 'federated.partiton', /unknown option/);
  const wantsRoot: Aggregator = {
    name: 'wants-root',
    needs: 'updates',
    serverSees: 'updates',
    async aggregate(_updates, ctx) {
      return { update: await ctx.serverUpdate(), included: [] };
    },
  };
  await assert.rejects(trainFederated(smallRun({ aggregator: wantsRoot })), (e: unknown) => e instanceof InputError && e.location.field === 'federated.rootRows');
  const rooted = await trainFederated(smallRun({ aggregator: wantsRoot, rootRows: Int32Array.from([200, 201, 202, 203]), options: { rounds: 1, record: { aggregates: [0] } } }));
  assert.equal(rooted.observations.aggregates.get(0)!.length, rooted.weights.reduce((s, w) => s + w.length, 0));
});
