import { z } from 'zod';
import { medians, type BenchDefinition, type BenchMeasure } from '../../core/bench.js';
import { Rng } from '../../core/rng.js';
import { plainSummation, type AggregationContext, type Aggregator, type ClientUpdate } from '../../targets/federated/aggregator.js';
import { exchangeTotals } from '../../targets/federated/costs.js';
import { secureAggregation } from '../secagg/aggregator.js';
import { columnwise } from './columns.js';
import { buildAggregator } from './index.js';
import type { AggregatorSpec } from './types.js';

const options = z
  .object({
    clients: z.number().int().min(3).default(100),
    params: z.number().int().positive().default(100_000),
    /** Timed rounds per aggregator after as many warm-up rounds (secure aggregation: one, it takes seconds). */
    iterations: z.number().int().positive().default(3),
  })
  .strict();

/** Updates uniform in [-0.1, 0.1), with example counts 10..39. */
function randomUpdates(rng: Rng, n: number, d: number): ClientUpdate[] {
  return Array.from({ length: n }, (_, client) => {
    const words = new Uint32Array(d);
    new Uint8Array(words.buffer).set(rng.bytes(words.byteLength));
    return { client, update: Float32Array.from(words, (w) => (w / 2 ** 32 - 0.5) / 5), examples: 10 + rng.int(30) };
  });
}

/** The textbook way: copy each coordinate's column out and sort it. */
function sortedColumnMedian(updates: readonly Float32Array[]): Float32Array {
  return columnwise(updates, (col, from, n) => {
    const s = col.subarray(from, from + n).sort();
    return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
  });
}

const SPECS: AggregatorSpec[] = [
  { id: 'median' },
  { id: 'trimmed-mean', options: { beta: 0.1 } },
  { id: 'krum', options: { f: 10 } },
  { id: 'multi-krum', options: { f: 10 } },
  { id: 'norm-bounded', options: { bound: 1 } },
  { id: 'fltrust' },
];

/**
 * One server aggregation step at FL scale (default 100 clients x 100k parameters): each robust
 * rule and secure aggregation against the plain weighted mean, and the quickselect median
 * against sorting every column.
 */
export const aggregationBench: BenchDefinition<typeof options> = {
  id: 'aggregation',
  title: 'Aggregation cost per round',
  description: 'Server time of one round: robust aggregators and secure aggregation vs the plain FedAvg mean; quickselect vs sorted median.',
  options,
  async run(o, ctx) {
    const rng = Rng.fromSeed('bench/aggregation');
    const updates = randomUpdates(rng.fork('updates'), o.clients, o.params);
    const context = (label: string): AggregationContext => ({
      round: 0,
      dimension: o.params,
      sum: plainSummation,
      rng: rng.fork(label),
      // FLTrust's root update: a fixed honest-looking vector, outside the timed work.
      serverUpdate: async () => updates[0].update,
    });
    const timed = (a: Aggregator) => () => a.aggregate(updates, context(a.name));
    const mean = buildAggregator({ id: 'mean' });
    const robust = SPECS.map((spec) => buildAggregator(spec));
    ctx.log(`aggregation: ${o.clients} clients x ${o.params} params, mean and ${robust.length} robust rules, ${o.iterations} rounds each`);
    const ms = await medians(
      {
        [mean.name]: timed(mean),
        ...Object.fromEntries(robust.map((a) => [a.name, timed(a)])),
        'median by sorting columns': () => sortedColumnMedian(updates.map((u) => u.update)),
      },
      o.iterations,
    );
    const baseline = { label: 'plain weighted mean (FedAvg)', value: ms[mean.name] };
    const measures: BenchMeasure[] = [{ name: `server aggregation, ${mean.name}`, value: ms[mean.name], unit: 'ms/round' }];
    for (const a of robust) measures.push({ name: `server aggregation, ${a.name}`, value: ms[a.name], unit: 'ms/round', baseline, ratio: ms[a.name] / baseline.value });
    measures.push({
      name: 'coordinate-wise median by quickselect',
      value: ms.median,
      unit: 'ms/round',
      baseline: { label: 'copying out and sorting each column', value: ms['median by sorting columns'] },
      ratio: ms.median / ms['median by sorting columns'],
    });
    for (const graph of ['complete', 'secagg+'] as const) {
      const secure = secureAggregation(mean, { graph, clip: 0.5 });
      ctx.log(`aggregation: ${secure.name}, one round`);
      const start = performance.now();
      const out = await secure.aggregate(updates, context(secure.name));
      const wall = performance.now() - start;
      const totals = out.protocol!.exchanges.map(exchangeTotals);
      const up = totals.reduce((s, t) => s + t.upBytes, 0) / o.clients;
      const down = totals.reduce((s, t) => s + t.downBytes, 0) / o.clients;
      measures.push({
        name: `round with every party simulated, ${secure.name}`,
        value: wall,
        unit: 'ms/round',
        baseline,
        ratio: wall / baseline.value,
        note: `all ${o.clients} clients and the server run in turn on one thread; client upload ${Math.round(up)} bytes (plain: ${4 * o.params}), ${Math.round(down)} bytes down`,
      });
    }
    return {
      id: 'aggregation',
      title: aggregationBench.title,
      backend: 'JavaScript (Float32Array)',
      measures,
      workload: {
        updates: `${o.clients} clients x ${o.params} params, uniform in [-0.1, 0.1), example counts 10..39`,
        rules: SPECS.map((s) => `${s.id} ${JSON.stringify(s.options ?? {})}`).join('; '),
        timing: `median of ${o.iterations} rounds after ${o.iterations} warm-up rounds; secure aggregation one round, default threshold, clip 0.5`,
      },
    };
  },
};
