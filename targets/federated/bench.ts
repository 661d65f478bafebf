import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { BenchContext, BenchDefinition, BenchMeasure } from '../../core/bench.js';
import { Rng } from '../../core/rng.js';
import { mnist } from '../datasets/mnist.js';
import { synthetic } from '../datasets/synthetic.js';
import type { Dataset } from '../datasets/types.js';
import { buildModel, type ModelSpec } from '../models/index.js';
import { trainCentral } from '../training/central.js';
import { evaluate } from '../training/evaluate.js';
import { recipeSchema } from '../training/optimizers.js';
import type { FederatedOptions, PartitionSpec } from './config.js';
import { NETWORK_PROFILES, summarizeCosts } from './network-profile.js';
import { networkTransport } from './network-transport.js';
import { trainFederated, type FederatedRun } from './train.js';
import { weightedMean } from './weighted-mean.js';

const modelSpec = z.object({ id: z.string(), options: z.record(z.string(), z.unknown()).default({}) });

const options = z
  .object({
    /** Purchase-like records with easy and hard ones (flip 0.3 +- 0.2). */
    synthetic: z.record(z.string(), z.unknown()).default({ n: 12000, features: 600, classes: 100, flip: 0.3, flipSpread: 0.2 }),
    syntheticModel: modelSpec.default({ id: 'mlp', options: { hidden: [128] } }),
    mnist: z.record(z.string(), z.unknown()).default({ n: 10000 }),
    mnistModel: modelSpec.default({ id: 'mlp', options: { hidden: [128], activation: 'relu' } }),
    /** Share of each dataset held out to measure utility. */
    testFraction: z.number().gt(0).lt(1).default(0.2),
    clients: z.number().int().positive().default(20),
    rounds: z.number().int().positive().default(15),
    localEpochs: z.number().int().positive().default(1),
    localBatchSize: z.number().int().positive().default(32),
    learningRate: z.number().positive().default(0.1),
    /** Label skew of the non-IID runs. */
    alpha: z.number().positive().default(0.1),
    /** The networked comparison: this many client processes, a few rounds on the synthetic data. */
    networkClients: z.number().int().positive().default(4),
    networkRounds: z.number().int().min(2).default(4),
  })
  .strict();
type Options = z.infer<typeof options>;

interface Task {
  label: string;
  data: Dataset;
  model: ModelSpec;
  train: Int32Array;
  test: Int32Array;
}

async function task(label: string, load: () => Promise<Dataset>, model: ModelSpec, o: Options, rng: Rng): Promise<Task> {
  const data = await load();
  const perm = rng.permutation(data.n);
  const cut = Math.round(data.n * (1 - o.testFraction));
  return { label, data, model, train: perm.slice(0, cut), test: perm.slice(cut) };
}

/** Central training for the epochs FedAvg's clients spend in total, with its test accuracy after each epoch. */
async function central(t: Task, o: Options, epochs: number, rng: Rng): Promise<number[]> {
  const net = buildModel(t.model, t.data, rng.fork('init'));
  const curve: number[] = [];
  try {
    const recipe = recipeSchema.parse({ learningRate: o.learningRate, batchSize: o.localBatchSize, epochs });
    await trainCentral(net, t.data, t.train, recipe, rng.fork('order'), () => curve.push(evaluate(net, t.data, t.test).accuracy));
  } finally {
    net.dispose();
  }
  return curve;
}

function federated(t: Task, o: Options, partition: PartitionSpec, rng: Rng, extra: Partial<Parameters<typeof trainFederated>[0]> = {}): Promise<FederatedRun> {
  const fl: FederatedOptions = {
    clients: o.clients,
    rounds: o.rounds,
    partition,
    localEpochs: o.localEpochs,
    localBatchSize: o.localBatchSize,
    localLearningRate: o.learningRate,
  };
  return trainFederated({ data: t.data, trainRows: t.train, testRows: t.test, model: t.model, options: fl, aggregator: weightedMean, rng, ...extra });
}

const fixed = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(' ');

/** Utility of FedAvg, IID and label-skewed, against central training on the same rows for as many epochs. */
async function utility(t: Task, o: Options, ctx: BenchContext, rng: Rng): Promise<{ measures: BenchMeasure[]; curves: Record<string, number[]> }> {
  // Every client trains every round: rounds x localEpochs passes over the training rows.
  const epochs = o.rounds * o.localEpochs;
  ctx.log(`federated: ${t.label}, central baseline, ${epochs} epochs`);
  const base = await central(t, o, epochs, rng.fork('central'));
  const curves: Record<string, number[]> = { [`${t.label} central (per epoch)`]: base };
  const measures: BenchMeasure[] = [];
  for (const partition of [{ kind: 'iid' }, { kind: 'dirichlet', alpha: o.alpha }] as PartitionSpec[]) {
    const name = partition.kind === 'iid' ? 'IID' : `Dirichlet(${o.alpha})`;
    ctx.log(`federated: ${t.label}, FedAvg ${name}, ${o.clients} clients x ${o.rounds} rounds`);
    const run = await federated(t, o, partition, rng.fork(partition.kind));
    const curve = run.curve.map((c) => c.accuracy);
    curves[`${t.label} FedAvg ${name} (per round)`] = curve;
    measures.push({
      name: `${t.label}: FedAvg ${name} test accuracy after ${o.rounds} rounds`,
      value: curve.at(-1)!,
      unit: 'accuracy',
      baseline: { label: `central training, ${epochs} epochs`, value: base.at(-1)! },
      // > 1: how far FedAvg falls short of central training.
      ratio: base.at(-1)! / curve.at(-1)!,
      note: `per round ${fixed(curve)}; central per epoch ${fixed(base)}`,
    });
  }
  return { measures, curves };
}

/**
 * The same few rounds in-process and with a process per client on loopback TCP, with the lan
 * and wan projections beside. The first round is left out of the means: it warms up fresh
 * client processes (JIT, wasm kernels) and says nothing about the steady state.
 */
async function network(t: Task, o: Options, ctx: BenchContext, rng: Rng): Promise<BenchMeasure[]> {
  const small = { ...o, clients: o.networkClients, rounds: o.networkRounds };
  ctx.log(`federated: ${o.networkRounds} rounds with ${o.networkClients} clients, in-process then one process each`);
  const steady = (run: FederatedRun) => run.costs.slice(1);
  const local = summarizeCosts(steady(await federated(t, small, { kind: 'iid' }, rng)), NETWORK_PROFILES.lan);
  const remote = await federated(t, small, { kind: 'iid' }, rng, { transport: networkTransport() });
  const [lan, wan] = [NETWORK_PROFILES.lan, NETWORK_PROFILES.wan].map((p) => summarizeCosts(steady(remote), p));
  const bytes = `${Math.round(lan.upBytesPerClient)} bytes up and ${Math.round(lan.downBytesPerClient)} down per client per round`;
  const rounds = `rounds 2-${o.networkRounds}; the first, warming up the processes, took ${Math.round(remote.costs[0].measuredMs)} ms`;
  return [
    {
      name: `round time, ${o.networkClients} client processes on loopback TCP`,
      value: lan.measuredMsPerRound,
      unit: 'ms/round',
      baseline: { label: 'the same rounds in-process (clients in turn)', value: local.measuredMsPerRound },
      ratio: lan.measuredMsPerRound / local.measuredMsPerRound,
      note: `${bytes}, counted on the sockets; ${rounds}; the processes share ${availableParallelism()} cores`,
    },
    ...[lan, wan].map((s) => ({
      name: `projected round time on ${s.profile.name} (${s.profile.latencyMs} ms, ${s.profile.mbps} Mbit/s)`,
      value: s.projectedMsPerRound,
      unit: 'ms/round',
      baseline: { label: 'measured on loopback', value: s.measuredMsPerRound },
      ratio: s.projectedMsPerRound / s.measuredMsPerRound,
      note: 'counted bytes and trips at the profile, plus the slowest client and the server compute as measured',
    })),
  ];
}

/**
 * FedAvg utility on purchase-like synthetic data and on MNIST, IID and Dirichlet label skew,
 * each against central training with the same epochs in the same run; and the round time of
 * networked clients against in-process ones and against the lan and wan projections.
 */
export const federatedBench: BenchDefinition<typeof options> = {
  id: 'federated',
  title: 'Federated learning utility and round time',
  description: 'FedAvg (IID and Dirichlet) vs central training on synthetic purchase-like data and MNIST; networked vs in-process rounds with lan/wan projections.',
  options,
  async run(o, ctx) {
    const rng = Rng.fromSeed('bench/federated');
    const load = (label: string) => ({ rng: rng.fork(`load/${label}`), baseDir: '.' });
    const purchase = await task('synthetic', async () => synthetic.load(synthetic.options.parse(o.synthetic), load('synthetic')), o.syntheticModel, o, rng.fork('split/synthetic'));
    const digits = await task('mnist', async () => mnist.load(mnist.options.parse(o.mnist), load('mnist')), o.mnistModel, o, rng.fork('split/mnist'));
    const measures: BenchMeasure[] = [];
    const curves: Record<string, number[]> = {};
    for (const t of [purchase, digits]) {
      const u = await utility(t, o, ctx, rng.fork(t.label));
      measures.push(...u.measures);
      Object.assign(curves, u.curves);
    }
    measures.push(...(await network(purchase, o, ctx, rng.fork('network'))));
    return {
      id: 'federated',
      title: federatedBench.title,
      backend: ctx.backend,
      measures,
      workload: {
        synthetic: `${purchase.data.description}, ${purchase.model.id} ${JSON.stringify(purchase.model.options)}`,
        mnist: `${digits.data.description}, ${digits.model.id} ${JSON.stringify(digits.model.options)}`,
        split: `${Math.round(100 * (1 - o.testFraction))}% train, ${Math.round(100 * o.testFraction)}% test`,
        fedavg: `${o.clients} clients, all every round, ${o.rounds} rounds, ${o.localEpochs} local epoch(s), batch ${o.localBatchSize}, lr ${o.learningRate}, server lr 1`,
        central: `${o.rounds * o.localEpochs} epochs, batch ${o.localBatchSize}, lr ${o.learningRate}, same rows`,
        network: `${o.networkClients} clients x ${o.networkRounds} rounds on the synthetic data, IID`,
        curves,
      },
    };
  },
};
