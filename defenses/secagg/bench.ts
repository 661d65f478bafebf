import { createCipheriv } from 'node:crypto';
import { z } from 'zod';
import { medians, type BenchDefinition, type BenchMeasure } from '../../core/bench.js';
import { Rng } from '../../core/rng.js';
import { mean } from '../../core/stats.js';
import { totalCost } from './costs.js';
import { applyMask, expandMask } from './prg.js';
import { ROUNDS } from './rounds.js';
import { secureAggregate } from './secure-aggregate.js';

const options = z
  .object({
    /** The full aggregation: clients x params. */
    clients: z.number().int().min(3).default(100),
    params: z.number().int().positive().default(100_000),
    /** Words per PRG call in the throughput measures (1 Mi words = 4 MiB). */
    expansionWords: z.number().int().positive().default(1 << 20),
    /** Timed calls per task and turn, and turns: the PRG tasks alternate in turns. */
    expansionIterations: z.number().int().positive().default(4),
    expansionRounds: z.number().int().positive().default(5),
    /** The scaling curve: client counts, each run with the complete graph and with SecAgg+. */
    scalingClients: z.array(z.number().int().min(3)).min(1).default([10, 50, 100, 200, 500]),
    /** Fewer params for the curve: its cost is the O(n^2) key agreement and sharing, not the masks. */
    scalingParams: z.number().int().positive().default(1000),
  })
  .strict();

type Graph = 'complete' | 'secagg+';

/** One aggregation's costs, per client as the mean over clients. */
interface Row {
  n: number;
  params: number;
  graph: Graph;
  neighbours: number;
  threshold: number;
  clientMs: number;
  /** Mean client compute per round, in ROUNDS order. */
  clientMsByRound: number[];
  serverMs: number;
  clientSentBytes: number;
  clientReceivedBytes: number;
}

const mbPerSecond = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

/** Uniform float updates in [-1, 1), the clip range. */
function randomUpdates(rng: Rng, n: number, d: number): Float32Array[] {
  return Array.from({ length: n }, () => {
    const words = new Uint32Array(d);
    new Uint8Array(words.buffer).set(rng.bytes(words.byteLength));
    return Float32Array.from(words, (w) => w / 2 ** 31 - 1);
  });
}

/** What a FedAvg server does with plain updates: add them up. */
function plainSum(updates: Float32Array[]): Float32Array {
  const sum = new Float32Array(updates[0].length);
  for (const u of updates) for (let i = 0; i < u.length; i++) sum[i] += u[i];
  return sum;
}

async function costsOf(updates: Float32Array[], graph: Graph, rng: Rng): Promise<Row> {
  const r = await secureAggregate(updates, { graph }, rng);
  const clients = r.costs.clients.map(totalCost);
  return {
    n: updates.length,
    params: updates[0].length,
    graph,
    neighbours: r.plan.degree,
    threshold: r.plan.threshold,
    clientMs: mean(clients.map((c) => c.computeMs)),
    clientMsByRound: ROUNDS.map((round) => mean(r.costs.clients.map((c) => c[round].computeMs))),
    serverMs: totalCost(r.costs.server).computeMs,
    clientSentBytes: mean(clients.map((c) => c.sentBytes)),
    clientReceivedBytes: mean(clients.map((c) => c.receivedBytes)),
  };
}

const graphLabel = (r: Row) => (r.graph === 'complete' ? 'complete graph' : `SecAgg+ k=${r.neighbours}`);
const roundsNote = (r: Row) => `per round ${ROUNDS.map((round, i) => `${round} ${r.clientMsByRound[i].toFixed(1)}`).join(', ')} ms; t=${r.threshold}`;

/**
 * Secure aggregation costs: the PRG against raw AES-CTR; a full aggregation of clients x params
 * against plain FedAvg (4 bytes per parameter up, a float sum on the server); and how client and
 * server costs grow with n for the complete graph and for SecAgg+.
 */
export const secaggBench: BenchDefinition<typeof options> = {
  id: 'secagg',
  title: 'Secure aggregation costs',
  description: 'Bonawitz et al. secure aggregation: mask PRG vs raw AES-CTR, a full aggregation vs plain FedAvg, scaling in n for complete vs SecAgg+.',
  options,
  async run(o, ctx) {
    const rng = Rng.fromSeed('bench/secagg');
    const measures: BenchMeasure[] = [];

    ctx.log(`secagg: PRG throughput over ${o.expansionWords} words, ${o.expansionRounds} turns of ${o.expansionIterations} calls`);
    const seed = rng.bytes(32);
    const zeros = Buffer.alloc(o.expansionWords * 4);
    const acc = new Uint32Array(o.expansionWords);
    const ms = await medians(
      {
        aes: () => void createCipheriv('aes-256-ctr', seed, Buffer.alloc(16)).update(zeros),
        expand: () => void expandMask(seed, o.expansionWords),
        apply: () => applyMask(acc, seed, 1),
      },
      o.expansionIterations,
      o.expansionRounds,
    );
    const aes = { label: 'raw AES-256-CTR over a zero buffer', value: mbPerSecond(zeros.length, ms.aes) };
    for (const [name, task] of [['mask expansion PRG(seed)', 'expand'], ['mask application y += PRG(seed) mod 2^32', 'apply']] as const) {
      const value = mbPerSecond(zeros.length, ms[task]);
      measures.push({ name, value, unit: 'MB/s', baseline: aes, ratio: aes.value / value });
    }

    const aggregate = async (updates: Float32Array[], graph: Graph, label: string): Promise<Row> => {
      ctx.log(`secagg: ${label}, ${updates.length} clients x ${updates[0].length} params, ${graph}`);
      return costsOf(updates, graph, rng.fork(`${label}/${graph}`));
    };
    const updates = randomUpdates(rng.fork('updates'), o.clients, o.params);
    const fedAvgMs = (await medians({ sum: () => void plainSum(updates) }, 5)).sum;
    const complete = await aggregate(updates, 'complete', 'full');
    const plus = await aggregate(updates, 'secagg+', 'full');
    const plainUpload = { label: 'plain FedAvg upload (4 bytes/param)', value: 4 * o.params };
    for (const r of [complete, plus]) {
      const vsComplete = r === plus ? { baseline: { label: 'complete graph', value: complete.clientMs }, ratio: r.clientMs / complete.clientMs } : {};
      measures.push({ name: `client compute, ${graphLabel(r)}`, value: r.clientMs, unit: 'ms/client', ...vsComplete, note: roundsNote(r) });
      measures.push({
        name: `server compute, ${graphLabel(r)}`,
        value: r.serverMs,
        unit: 'ms',
        baseline: { label: 'plain FedAvg float sum', value: fedAvgMs },
        ratio: r.serverMs / fedAvgMs,
      });
      measures.push({
        name: `client upload, ${graphLabel(r)}`,
        value: r.clientSentBytes,
        unit: 'bytes/client',
        baseline: plainUpload,
        ratio: r.clientSentBytes / plainUpload.value,
        note: `plus ${Math.round(r.clientReceivedBytes)} bytes of protocol messages down`,
      });
    }

    const scaling: Array<[Row, Row]> = [];
    for (const n of o.scalingClients) {
      const scaled = randomUpdates(rng.fork(`scaling/${n}`), n, o.scalingParams);
      scaling.push([await aggregate(scaled, 'complete', 'scaling'), await aggregate(scaled, 'secagg+', 'scaling')]);
    }
    for (const [c, p] of scaling) {
      const against = (label: string, value: number, unit: string, base: number): BenchMeasure => ({
        name: `n=${c.n}: ${label}, SecAgg+ k=${p.neighbours} t=${p.threshold}`,
        value,
        unit,
        baseline: { label: `complete graph t=${c.threshold}`, value: base },
        ratio: value / base,
      });
      measures.push(against('client compute', p.clientMs, 'ms/client', c.clientMs));
      measures.push(against('server compute', p.serverMs, 'ms', c.serverMs));
      measures.push(against('client traffic', p.clientSentBytes + p.clientReceivedBytes, 'bytes/client', c.clientSentBytes + c.clientReceivedBytes));
    }
    return {
      id: 'secagg',
      title: secaggBench.title,
      backend: 'node:crypto (OpenSSL)',
      measures,
      workload: {
        aggregation: `${o.clients} clients x ${o.params} params, updates uniform in [-1, 1), no dropouts`,
        scaling: `n in ${o.scalingClients.join(', ')} with ${o.scalingParams} params each, complete graph and SecAgg+`,
        parameters: 'default threshold (majority of share holders), default SecAgg+ degree (even >= 4 log2 n), clip 1, bits maxBits(n), stochastic rounding',
        prg: `${o.expansionWords} words per call, median of ${o.expansionRounds} x ${o.expansionIterations} calls taken in turns with raw AES`,
        timing: 'each party step timed alone on one thread: per-client figures are the mean over clients',
        runs: [complete, plus, ...scaling.flat()],
      },
    };
  },
};
