import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/rng.js';
import { selectBackend } from '../../../targets/backend.js';
import type { ClientBehaviour } from '../../../targets/federated/client.js';
import type { RoundCost } from '../../../targets/federated/costs.js';
import { networkTransport, type NetworkTransport } from '../../../targets/federated/network-transport.js';
import { trainFederated } from '../../../targets/federated/train.js';
import type { ClientSetup } from '../../../targets/federated/transport.js';
import { flatten } from '../../../targets/federated/vectors.js';
import { weightedMean } from '../../../targets/federated/weighted-mean.js';
import { buildModel } from '../../../targets/models/index.js';
import { smallData, smallRun } from './fixtures.js';

const model = { id: 'mlp', options: { hidden: [8] } };
const input = { d: smallData.d, numClasses: smallData.numClasses };
const bytesOf = (costs: RoundCost[]) => costs.map((c) => c.exchanges.map(({ computeMs: _, ...e }) => e));

test('clients in their own processes over TCP give the in-process weights, bytes and observations', async () => {
  await selectBackend('wasm');
  const options = { clients: 3, rounds: 3, clientsPerRound: 2, record: { clientUpdates: 'all' as const } };
  const local = await trainFederated(smallRun({ options }));
  const remote = await trainFederated(smallRun({ options, transport: networkTransport() }));
  assert.equal(remote.transport, 'network');
  assert.deepEqual(remote.weights, local.weights);
  assert.deepEqual(remote.curve, local.curve);
  assert.deepEqual(remote.observations.participation, local.observations.participation);
  assert.deepEqual(remote.observations.clientUpdates, local.observations.clientUpdates);
  // The socket counters agree with the frames the in-process transport counts.
  assert.deepEqual(bytesOf(remote.costs), bytesOf(local.costs));
  assert.ok(remote.costs.every((c) => c.measuredMs > 0 && c.clientComputeMs > 0));
});

test('a client process killed mid-round is a dropout, in that round and every later one', async () => {
  await selectBackend('wasm');
  const partition = [0, 1, 2].map((k) => Int32Array.from({ length: 40 }, (_, i) => 40 * k + i));
  const setup: ClientSetup = { model, input, data: smallData, partition, plan: { algorithm: 'fedavg', epochs: 1, learningRate: 0.1, batchSize: 8 }, behaviours: new Map(), aggregator: weightedMean };
  const net = buildModel(model, input, Rng.fromSeed('kill'));
  const global = flatten(await net.getWeights());
  net.dispose();
  const jobs = [0, 1, 2].map((client) => ({ client, seed: new Uint8Array(16).fill(client) }));
  const transport = await networkTransport()(setup);
  try {
    // round() has written every request before it first awaits; the kill lands before client 1 can answer.
    const pending = transport.round(0, global, jobs);
    process.kill(transport.pids()[1], 'SIGKILL');
    const first = await pending;
    assert.deepEqual(first.updates.map((u) => u.client), [0, 2]);
    assert.deepEqual(Object.keys(first.exchanges[0].clients), ['0', '1', '2']);
    assert.deepEqual(Object.keys(first.exchanges[1].clients), ['0', '2']);
    const second = await transport.round(1, global, jobs);
    assert.deepEqual(second.updates.map((u) => u.client), [0, 2]);
    assert.deepEqual(Object.keys(second.exchanges[0].clients), ['0', '2'], 'nothing is sent to a client known to be gone');
  } finally {
    await transport.close();
  }
});

test('a client killed between rounds of a run: the run goes on, as in-process with that client silent from then on', async () => {
  await selectBackend('wasm');
  const options = { clients: 3, rounds: 3 };
  let transport: NetworkTransport | undefined;
  const remote = await trainFederated(
    smallRun({
      options,
      transport: async (setup) => (transport = await networkTransport()(setup)),
      onRound: ({ round }) => void (round === 0 && process.kill(transport!.pids()[1], 'SIGKILL')),
    }),
  );
  const silentAfterFirst: ClientBehaviour = { name: 'gone after round 0', update: async (ctx, honest) => (ctx.round === 0 ? honest() : null) };
  const local = await trainFederated(smallRun({ options, behaviours: new Map([[1, silentAfterFirst]]) }));
  assert.deepEqual(remote.weights, local.weights);
  assert.deepEqual(remote.observations.participation.map((p) => p.dropped), [[], [1], [1]]);
});

test('a client that misses the round deadline is dropped; behaviours are refused over the network', async () => {
  await selectBackend('wasm');
  const before = tf.memory().numTensors;
  const run = await trainFederated(smallRun({ options: { clients: 2, rounds: 2 }, transport: networkTransport({ roundTimeoutMs: 1 }) }));
  assert.deepEqual(run.observations.participation.map((p) => p.dropped), [[0, 1], [0, 1]]);
  assert.equal(tf.memory().numTensors, before);
  const honest: ClientBehaviour = { name: 'custom', update: (_ctx, h) => h() };
  await assert.rejects(trainFederated(smallRun({ behaviours: new Map([[0, honest]]), transport: networkTransport() })), /run in-process only/);
});
