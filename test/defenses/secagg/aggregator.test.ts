import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { buildAggregator } from '../../../defenses/robust/index.js';
import { secureAggregation } from '../../../defenses/secagg/aggregator.js';
import { parseOptions, planSecAgg, type SecAggOptions } from '../../../defenses/secagg/options.js';
import { Quantizer } from '../../../defenses/secagg/quantize.js';
import { selectBackend } from '../../../targets/backend.js';
import { weightedMean } from '../../../targets/federated/weighted-mean.js';
import { networkTransport } from '../../../targets/federated/network-transport.js';
import { trainFederated } from '../../../targets/federated/train.js';
import { contextWith } from '../robust/fixtures.js';
import { smallRun } from '../../targets/federated/fixtures.js';

function randomUpdates(n: number, d: number, seed: string) {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, (_, client) => ({ client: 10 + client, update: Float32Array.from({ length: d }, () => 0.1 * (rng.uniform() - 0.5)), examples: 5 + rng.int(40) }));
}

/** Largest |secure - plain| per coordinate: the sum's quantization bound, scaled as the adapter scales the sum. */
function meanErrorBound(options: SecAggOptions, weights: number[], survivors: number[]): number {
  const unit = weights.reduce((s, w) => s + w, 0) / weights.length;
  const sumBound = new Quantizer(planSecAgg(parseOptions(options), weights.length).quantizer).sumErrorBound(survivors.length);
  return (sumBound * unit) / survivors.reduce((s, k) => s + weights[k], 0);
}

test('the secure weighted mean equals the plain one within the quantization bound, dropouts included', async () => {
  const updates = randomUpdates(6, 300, 'secure-mean');
  const weights = updates.map((u) => u.examples);
  for (const options of [{ clip: 0.5 }, { clip: 0.5, graph: 'secagg+' as const, bits: 20 }, { clip: 0.5, dropout: { maskedInputCollection: [2] } }]) {
    const secure = await secureAggregation(weightedMean, options).aggregate(updates, contextWith());
    const survivors = secure.included.map((c) => c - 10);
    const plain = await weightedMean.aggregate(survivors.map((k) => updates[k]), contextWith());
    const bound = meanErrorBound(options, weights, survivors);
    const worst = Math.max(...Array.from(secure.update, (v, i) => Math.abs(v - plain.update[i])));
    assert.ok(worst <= bound, `${JSON.stringify(options)}: error ${worst} > bound ${bound}`);
    assert.ok(worst > 0, 'quantization is really applied');
    assert.deepEqual(survivors, options.dropout ? [0, 1, 3, 4, 5] : [0, 1, 2, 3, 4, 5]);
    assert.ok(secure.protocol, 'the protocol view is reported');
    assert.deepEqual([...secure.protocol.view.masked.keys()].sort(), survivors);
  }
});

test('secure aggregation refuses aggregators that need each update, and composes with per-update clipping', () => {
  for (const spec of [{ id: 'median' }, { id: 'trimmed-mean' }, { id: 'krum' }, { id: 'multi-krum' }, { id: 'fltrust' }, { id: 'norm-bounded', options: { bound: 1 }, inner: { id: 'median' } }]) {
    assert.throws(
      () => secureAggregation(buildAggregator(spec)),
      (e: unknown) => e instanceof InputError && e.location.field === 'aggregator' && /only the sum of the updates, and '.*' needs each client's update/.test(e.message),
    );
  }
  const clipped = secureAggregation(buildAggregator({ id: 'norm-bounded', options: { bound: 1 } }));
  assert.equal(clipped.name, 'secagg(complete) > norm-bounded(M=1) > mean');
  assert.deepEqual([clipped.needs, clipped.serverSees], ['sum', 'sum']);
  // And wrapping the other way round: the clip runs before the secure sum either way.
  assert.equal(buildAggregator({ id: 'norm-bounded', options: { bound: 1 } }).serverSees, 'updates');
  assert.throws(() => secureAggregation(weightedMean, { treshold: 2 } as SecAggOptions), (e: unknown) => e instanceof InputError && e.location.field === 'treshold');
});

test('FedAvg under secure aggregation: the server observes the aggregates and the protocol, never an update; costs are the protocol\'s', async () => {
  await selectBackend('wasm');
  const options = { clients: 4, rounds: 3, record: { clientUpdates: 'all' as const, aggregates: 'all' as const, transcript: [1] } };
  const secure = await trainFederated(smallRun({ options, aggregator: secureAggregation(weightedMean, { clip: 1 }) }));
  const plain = await trainFederated(smallRun({ options }));
  const o = secure.observations;
  assert.deepEqual(o.exposes, ['aggregates', 'transcript']);
  assert.equal(o.clientUpdates.size, 0);
  assert.deepEqual([...o.aggregates.keys()], [0, 1, 2]);
  assert.deepEqual([...o.transcript.keys()], [1]);
  assert.deepEqual([...o.transcript.get(1)!.masked.keys()], [0, 1, 2, 3]);
  assert.ok(secure.curve.at(-1)!.accuracy >= plain.curve.at(-1)!.accuracy - 0.05, 'utility survives quantization');
  const params = secure.weights.reduce((s, w) => s + w.length, 0);
  const names = secure.costs[0].exchanges.map((e) => e.name);
  assert.deepEqual(names, ['broadcast', 'secagg advertiseKeys', 'secagg shareKeys', 'secagg maskedInputCollection', 'secagg unmasking']);
  const masked = secure.costs[0].exchanges[3];
  assert.deepEqual(
    Object.entries(masked.clients).map(([k, c]) => [Number(k), c.sentBytes]),
    [0, 1, 2, 3].map((k) => [k, 4 * params]),
    'each client uploads its masked vector, 4 bytes per parameter',
  );
  assert.deepEqual([masked.trips, secure.costs[0].exchanges[4].trips], [2, 1]);
});

test('a secure round with fewer than two updates is aborted: nothing included, the model stays', async () => {
  await selectBackend('wasm');
  const run = await trainFederated(smallRun({ options: { clients: 3, rounds: 2, clientsPerRound: 1 }, aggregator: secureAggregation(weightedMean) }));
  assert.deepEqual(run.observations.participation.map((p) => p.included), [[], []]);
  assert.ok(run.costs.every((c) => c.exchanges.length === 2 && c.exchanges[1].name === 'upload'));
  await assert.rejects(
    trainFederated(smallRun({ aggregator: secureAggregation(weightedMean), transport: networkTransport() })),
    (e: unknown) => e instanceof InputError && e.location.field === 'federated.transport',
  );
});
