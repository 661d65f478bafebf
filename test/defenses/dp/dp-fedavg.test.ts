import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { ClippingLog } from '../../../defenses/dp/clipping-log.js';
import { dpFedAvg, type DpFedAvgMechanism } from '../../../defenses/dp/dp-fedavg.js';
import { dpFederated } from '../../../defenses/dp/dp-federated.js';
import { localDpClient } from '../../../defenses/dp/local-dp.js';
import { buildAggregator } from '../../../defenses/robust/index.js';
import { secureAggregation } from '../../../defenses/secagg/aggregator.js';
import { parseOptions, planSecAgg } from '../../../defenses/secagg/options.js';
import { Quantizer } from '../../../defenses/secagg/quantize.js';
import type { Aggregator, ClientUpdate, Summation } from '../../../targets/federated/aggregator.js';
import type { ClientBehaviour } from '../../../targets/federated/client.js';
import { l2Norm } from '../../../targets/federated/vectors.js';
import { weightedMean } from '../../../targets/federated/weighted-mean.js';
import { contextWith, updatesOf } from '../robust/fixtures.js';

const mechanism = (overrides: Partial<DpFedAvgMechanism> = {}): DpFedAvgMechanism => ({
  mode: 'central',
  noiseMultiplier: 1,
  clip: 1,
  sampleRate: 0.5,
  clients: 8,
  steps: 10,
  ...overrides,
});

/** Sample mean and standard deviation. */
function moments(v: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) s2 += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(s2 / (v.length - 1)) };
}

function randomUpdates(n: number, d: number, seed: string, scale: number): ClientUpdate[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, (_, client) => ({ client, update: rng.fillNormal(new Float32Array(d), scale), examples: 1 + rng.int(50) }));
}

/** The mean, recording the updates it is handed. */
function spyMean(): { inner: Aggregator; seen: ClientUpdate[][] } {
  const seen: ClientUpdate[][] = [];
  const inner: Aggregator = {
    name: 'spy',
    needs: 'sum',
    serverSees: 'updates',
    aggregate(updates, ctx) {
      seen.push([...updates]);
      return weightedMean.aggregate(updates, ctx);
    },
  };
  return { inner, seen };
}

test('every update is clipped to S before the sum, added with weight 1; short ones pass unchanged; the log has the norms', async () => {
  const { inner, seen } = spyMean();
  const log = new ClippingLog(1);
  const weights: number[][] = [];
  const recording: Summation = {
    weightedSum(us, w) {
      weights.push([...w]);
      return contextWith().sum.weightedSum(us, w);
    },
  };
  const updates = updatesOf([[3, 4], [0.3, 0.4], [0, -10], [0.5, 0.5]], [5, 1, 20, 3]);
  const out = await dpFedAvg(inner, mechanism({ noiseMultiplier: 1e-12, sampleRate: 0.25, clients: 16 }), log).aggregate(updates, { ...contextWith(), sum: recording });
  const passed = seen[0];
  for (const u of passed) assert.ok(l2Norm(u.update) <= 1 + 1e-6, `norm ${l2Norm(u.update)}`);
  assert.deepEqual(passed.map((u) => Array.from(u.update, (v) => Number(v.toFixed(6)))), [[0.6, 0.8], [0.3, 0.4], [0, -1], [0.5, 0.5]]);
  assert.equal(passed[1].update, updates[1].update, 'a short update is not copied');
  assert.deepEqual(updates[0].update, Float32Array.of(3, 4), 'inputs are not changed');
  assert.deepEqual(weights, [[1, 1, 1, 1]], 'uniform weights, not example counts');
  // sum / qN with qN = 4, the noise negligible here.
  assert.deepEqual(Array.from(out.update, (v) => Number(v.toFixed(5))), [0.35, 0.175]);
  assert.deepEqual(out.included, [0, 1, 2, 3]);
  const [round] = log.rounds();
  assert.deepEqual({ ...round, norms: undefined }, { round: 0, updates: 4, clipped: 2, clippedFraction: 0.5, norms: undefined });
  assert.deepEqual(Object.values(round.norms).map((n) => Number(n.toFixed(5))), [0.5, 2.85355, 4.05178, 10]);
});

test('the noise on the sum is N(0, sigma^2 S^2) per coordinate', async () => {
  const d = 200_000;
  const zeros = Array.from({ length: 3 }, (_, client) => ({ client, update: new Float32Array(d), examples: 1 }));
  const m = mechanism({ noiseMultiplier: 2.5, clip: 0.4, sampleRate: 0.3, clients: 10 });
  const out = await dpFedAvg(weightedMean, m, new ClippingLog(m.clip)).aggregate(zeros, contextWith());
  // The output is noise / qN; 2e5 draws put the sample std within 0.5% of sigma * S = 1 (4 standard errors).
  const { mean, std } = moments(Float64Array.from(out.update, (v) => v * 3));
  assert.ok(Math.abs(std - 1) < 0.005, `std ${std}`);
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
});

test('the mean divides by the expected qN, not by how many clients took part', async () => {
  const m = mechanism({ sampleRate: 0.25, clients: 12 });
  const run = (rows: number[][], sigma: number) =>
    dpFedAvg(weightedMean, { ...m, noiseMultiplier: sigma }, new ClippingLog(1)).aggregate(updatesOf(rows), contextWith());
  const one = await run([[0.4, 0.2]], 1);
  const two = await run([[0.2, 0.1], [0.2, 0.1]], 1);
  const four = await run([[0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05]], 1);
  assert.deepEqual(one.update, two.update, 'the same sum and the same noise give the same aggregate');
  assert.ok(Math.max(...Array.from(four.update, (v, i) => Math.abs(v - one.update[i]))) < 1e-6);
  assert.notDeepEqual(one.update, (await run([[0.4, 0.2]], 1e-12)).update, 'the noise is there');
  // Without noise to speak of: sum / qN = [0.4, 0.2] / 3 whoever took part.
  for (const rows of [[[0.4, 0.2]], [[0.2, 0.1], [0.2, 0.1]]]) {
    assert.deepEqual(Array.from((await run(rows, 1e-12)).update, (v) => Number(v.toFixed(6))), [0.133333, 0.066667]);
  }
});

test('under secure aggregation: the same aggregate as in the clear within the quantization error, the same noise', async () => {
  const m = mechanism({ noiseMultiplier: 1, clip: 1, sampleRate: 0.75, clients: 8 });
  const updates = randomUpdates(6, 300, 'dp-secagg', 0.3);
  const options = { clip: 1 };
  const plain = await dpFedAvg(weightedMean, m, new ClippingLog(1)).aggregate(updates, contextWith());
  const secure = await secureAggregation(dpFedAvg(weightedMean, m, new ClippingLog(1)), options).aggregate(updates, contextWith());
  assert.equal(secureAggregation(dpFedAvg(weightedMean, m, new ClippingLog(1))).name, 'secagg(complete) > dp-fedavg(sigma=1, S=1) > mean');
  assert.ok(secure.protocol, 'the sum ran the protocol');
  // Weights are 1, so the quantized sum's error reaches the mean divided by qN = 6.
  const bound = new Quantizer(planSecAgg(parseOptions(options), 6).quantizer).sumErrorBound(6) / 6;
  const worst = Math.max(...Array.from(secure.update, (v, i) => Math.abs(v - plain.update[i])));
  assert.ok(worst <= bound && worst > 0, `error ${worst}, bound ${bound}`);
  // The noise (std 1/6 per coordinate) is far above that bound, so it was the same draw.
  const clean = await dpFedAvg(weightedMean, { ...m, noiseMultiplier: 1e-12 }, new ClippingLog(1)).aggregate(updates, contextWith());
  assert.ok(moments(Float64Array.from(plain.update, (v, i) => v - clean.update[i])).std > 100 * bound);
  assert.throws(
    () => dpFedAvg(secureAggregation(weightedMean), m, new ClippingLog(1)),
    (e: unknown) => e instanceof InputError && e.location.field === 'aggregator' && /wrap secure aggregation around DP-FedAvg/.test(e.message),
  );
});

test('an empty round releases noise alone, in the clear and under secure aggregation (where one update alone aborts the sum)', async () => {
  const m = mechanism({ noiseMultiplier: 3, clip: 0.5, sampleRate: 0.5, clients: 4 });
  const ctx = contextWith(undefined, 5000);
  const plain = dpFedAvg(weightedMean, m, new ClippingLog(0.5));
  const secure = secureAggregation(dpFedAvg(weightedMean, m, new ClippingLog(0.5)));
  assert.deepEqual([plain.aggregatesEmptyRounds, secure.aggregatesEmptyRounds, weightedMean.aggregatesEmptyRounds], [true, true, undefined]);
  const empty = await plain.aggregate([], ctx);
  assert.deepEqual(empty.included, []);
  const { std } = moments(Float64Array.from(empty.update, (v) => v * 2));
  assert.ok(Math.abs(std - 1.5) < 0.06, `std ${std}`);
  assert.deepEqual((await secure.aggregate([], ctx)).update, empty.update);
  const alone = await secure.aggregate(randomUpdates(1, 5000, 'alone', 1), ctx);
  assert.deepEqual([alone.update, alone.included], [empty.update, []]);
});

test('DP-FedAvg refuses aggregators that need each update; under local DP any aggregator is post-processing', () => {
  const m = mechanism();
  for (const spec of [{ id: 'median' }, { id: 'krum' }, { id: 'multi-krum' }, { id: 'trimmed-mean' }, { id: 'fltrust' }, { id: 'norm-bounded', options: { bound: 1 }, inner: { id: 'median' } }]) {
    assert.throws(
      () => dpFederated(m, { aggregator: buildAggregator(spec) }),
      (e: unknown) => e instanceof InputError && e.location.field === 'aggregator' && /needs each client's update; aggregate with mean .* or use dp.mode local/.test(e.message),
      spec.id,
    );
    const local = dpFederated({ ...m, mode: 'local' }, { aggregator: buildAggregator(spec) });
    assert.equal(local.aggregator.name, buildAggregator(spec).name);
  }
  const wrapped = dpFederated(m, { aggregator: buildAggregator({ id: 'norm-bounded', options: { bound: 0.5 } }) }).aggregator;
  assert.equal(wrapped.name, 'dp-fedavg(sigma=1, S=1) > norm-bounded(M=0.5) > mean');
  assert.deepEqual([wrapped.needs, wrapped.serverSees, wrapped.aggregatesEmptyRounds], ['sum', 'updates', true]);
  assert.equal(buildAggregator({ id: 'norm-bounded', options: { bound: 1 } }).aggregatesEmptyRounds, undefined);
  assert.throws(() => dpFedAvg(weightedMean, { ...m, mode: 'local' }, new ClippingLog(1)), /goes through dpFederated/);
});

test('the local DP client sends its clipped update plus N(0, sigma^2 S^2), reports 1 example, and leaves poisoners as they are', async () => {
  const d = 100_000;
  const m = mechanism({ mode: 'local', noiseMultiplier: 2, clip: 0.25, clients: 3 });
  const log = new ClippingLog(m.clip);
  const honestUpdate = Rng.fromSeed('honest').fillNormal(new Float32Array(d), 0.01);
  const ctx = { round: 2, client: 1, global: new Float32Array(d), data: undefined as never, rows: new Int32Array(0), rng: Rng.fromSeed('client-round') };
  const client = localDpClient(m, log);
  const sent = (await client.update(ctx, async () => ({ client: 1, update: honestUpdate, examples: 40 })))!;
  assert.deepEqual([sent.client, sent.examples], [1, 1]);
  const scale = 0.25 / l2Norm(honestUpdate);
  const { mean, std } = moments(Float64Array.from(sent.update, (v, i) => v - honestUpdate[i] * scale));
  assert.ok(Math.abs(std - 0.5) < 0.005 && Math.abs(mean) < 0.005, `mean ${mean}, std ${std}`);
  assert.deepEqual(log.rounds().map((r) => [r.round, r.clipped]), [[2, 1]]);
  const again = (await client.update({ ...ctx, rng: Rng.fromSeed('client-round') }, async () => ({ client: 1, update: honestUpdate, examples: 40 })))!;
  assert.deepEqual(again.update, sent.update, 'seeded noise reproduces from the client stream');
  const poisoner: ClientBehaviour = { name: 'poisoner', update: async () => null };
  const { behaviours } = dpFederated(m, { aggregator: weightedMean, behaviours: new Map([[2, poisoner]]) });
  assert.deepEqual([...behaviours].sort(([a], [b]) => a - b).map(([k, b]) => [k, b.name]), [[0, 'local-dp(sigma=2, S=0.25)'], [1, 'local-dp(sigma=2, S=0.25)'], [2, 'poisoner']]);
});
