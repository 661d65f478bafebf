import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { z } from 'zod';
import type { BenchDefinition, BenchMeasure } from '../../core/bench.js';
import { Rng } from '../../core/rng.js';
import { median } from '../../core/stats.js';
import type { Dataset } from '../datasets/types.js';
import { mlp } from '../models/mlp.js';
import type { Network } from '../models/network.js';
import { BatchMaker } from './batches.js';
import { trainCentral } from './central.js';
import { createOptimizer, recipeSchema } from './optimizers.js';

export const trainingBenchOptions = z
  .object({
    n: z.number().int().positive().default(10000),
    d: z.number().int().positive().default(600),
    hidden: z.array(z.number().int().positive()).min(1).default([256]),
    classes: z.number().int().min(2).default(100),
    batch: z.number().int().positive().default(128),
    /** Measured epochs (one tinybench iteration each); the peer trains this many too. */
    epochs: z.number().int().positive().default(2),
    warmupEpochs: z.number().int().nonnegative().default(1),
  })
  .strict();
export type TrainingBenchOptions = z.infer<typeof trainingBenchOptions>;

const PYTHON = '/usr/bin/python3';
const execFileAsync = promisify(execFile);
/** The peer's optimizer and step size, so both sides run the same arithmetic. */
export const LEARNING_RATE = 0.1;

/** Uniform [0, 1) features and uniform labels, the data torch_train.py draws. */
export function randomDataset(o: TrainingBenchOptions, rng: Rng): Dataset {
  const words = new Uint32Array(o.n * o.d);
  new Uint8Array(words.buffer).set(rng.bytes(words.byteLength));
  const features = Float32Array.from(words, (w) => w / 2 ** 32);
  const labels = Int32Array.from({ length: o.n }, () => rng.int(o.classes));
  return {
    description: `uniform random (N=${o.n}, D=${o.d}, ${o.classes} classes)`,
    n: o.n,
    d: o.d,
    numClasses: o.classes,
    features,
    labels,
    featureNames: Array.from({ length: o.d }, (_, j) => `f${j}`),
    classNames: Array.from({ length: o.classes }, (_, k) => `c${k}`),
  };
}

/** The benches' MLP (tanh, the options' shape) with its init drawn from `rng`'s 'init' fork. */
export function benchMlp(o: TrainingBenchOptions, rng: Rng): Network {
  return mlp.build({ d: o.d, numClasses: o.classes }, mlp.options.parse({ hidden: o.hidden, activation: 'tanh' }), rng.fork('init'));
}

/**
 * Runs `fn` as a tinybench task and returns its median latency in ms. `between`, if given,
 * runs before each timed iteration, outside the timed window.
 */
export async function medianMs(
  name: string,
  iterations: number,
  warmupIterations: number,
  fn: () => Promise<void>,
  between?: () => Promise<void>,
): Promise<number> {
  // time: 0 makes the iteration counts the only budget: one iteration can be a whole epoch.
  const bench = new Bench({ time: 0, iterations, warmup: warmupIterations > 0, warmupTime: 0, warmupIterations, throws: true });
  bench.add(name, fn, between && { beforeEach: async (mode) => (mode === 'run' ? between() : undefined) });
  await bench.run();
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed') throw new Error(`bench task ${name} did not complete (${result?.state})`);
  return result.latency.p50;
}

/** The folder holding torch_train.py when the PyTorch peer can run here, else why not. */
export async function findPeer(peersDir: string | undefined): Promise<{ dir: string } | { unavailable: string }> {
  if (!peersDir || !existsSync(join(peersDir, 'torch_train.py'))) return { unavailable: 'no torch_train.py in a peers folder' };
  try {
    await execFileAsync(PYTHON, ['-c', 'import torch']);
    return { dir: peersDir };
  } catch {
    return { unavailable: `${PYTHON} with torch is not available` };
  }
}

/** One run of PyTorch on one thread with the same shapes and SGD step; `extra` adds flags (`--dp ghost`). */
export async function runPeer(o: TrainingBenchOptions, peersDir: string, extra: string[] = []): Promise<{ samplesPerSecond: number; version: string }> {
  const args = [join(peersDir, 'torch_train.py'), '--n', `${o.n}`, '--d', `${o.d}`, '--hidden', o.hidden.join(',')];
  args.push('--classes', `${o.classes}`, '--batch', `${o.batch}`, '--epochs', `${o.epochs}`, '--lr', `${LEARNING_RATE}`, '--threads', '1', ...extra);
  // One thread for real: torch.set_num_threads does not reach Debian's OpenBLAS, whose own
  // threads would otherwise share the cores with ours (and, on a busy machine, slow it down).
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const { stdout } = await execFileAsync(PYTHON, args, { env });
  const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { samples_per_s: number; version: string };
  return { samplesPerSecond: out.samples_per_s, version: out.version };
}

/**
 * Times one training step and one per-example norms pass on the same fixed batch, each read
 * back so a backend that queues work is timed to completion. Each norms pass gets new weight
 * tensors, as in DP-SGD where every pass follows an update (the wasm backend would otherwise
 * reuse its packing of unchanged weights).
 */
async function normsVsStep(net: Network, data: Dataset, o: TrainingBenchOptions, iterations: number): Promise<{ stepMs: number; normsMs: number }> {
  const rows = Int32Array.from({ length: Math.min(o.batch, o.n) }, (_, i) => i);
  const { x, y } = new BatchMaker(data).make(rows, 0, rows.length);
  const optimizer = createOptimizer(recipeSchema.parse({ learningRate: LEARNING_RATE }));
  try {
    const stepMs = await medianMs('step', iterations, 5, async () => {
      const next = tf.tidy(() => {
        const { grads, lossSum } = net.gradients(x, y);
        return { params: optimizer.step(net.params, grads), lossSum };
      });
      net.setParams(next.params);
      await next.lossSum.data();
      next.lossSum.dispose();
    });
    const weights = await net.getWeights();
    const normsMs = await medianMs(
      'norms',
      iterations,
      5,
      async () => {
        const sq = tf.tidy(() => net.perExampleSquaredNorms(x, y));
        await sq.data();
        sq.dispose();
      },
      async () => net.setWeights(weights),
    );
    return { stepMs, normsMs };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y]);
  }
}

/**
 * Training throughput of the mlp (tanh, plain SGD) on random data against PyTorch on one thread
 * with the same shapes, plus the cost of the DP per-example norms pass relative to a step.
 */
export const trainingBench: BenchDefinition<typeof trainingBenchOptions> = {
  id: 'training',
  title: 'Central training throughput',
  description: 'MLP training samples/s on the current backend vs PyTorch (1 thread); per-example norms pass vs a step.',
  options: trainingBenchOptions,
  async run(o, ctx) {
    const rng = Rng.fromSeed('bench/training');
    const data = randomDataset(o, rng.fork('data'));
    const net = benchMlp(o, rng);
    const indices = Int32Array.from({ length: o.n }, (_, i) => i);
    const recipe = recipeSchema.parse({ optimizer: 'sgd', learningRate: LEARNING_RATE, batchSize: o.batch, epochs: 1 });
    const shuffle = rng.fork('shuffle');
    const measures: BenchMeasure[] = [];
    try {
      const peer = await findPeer(ctx.peersDir);
      const peerRuns: { samplesPerSecond: number; version: string }[] = [];
      // On a shared machine speed drifts over seconds, so each timed epoch follows a peer run
      // rather than comparing two measurements far apart in time.
      const between = 'dir' in peer ? async () => void peerRuns.push(await runPeer(o, peer.dir)) : undefined;
      ctx.log(`training: ${o.warmupEpochs} warm-up + ${o.epochs} timed epochs of ${o.n} samples on ${ctx.backend}`);
      const epoch = async () => void (await trainCentral(net, data, indices, recipe, shuffle));
      const ours = o.n / ((await medianMs('epoch', o.epochs, o.warmupEpochs, epoch, between)) / 1000);
      const throughput: BenchMeasure = { name: 'training throughput', value: ours, unit: 'samples/s' };
      if ('unavailable' in peer) {
        throughput.note = `PyTorch peer not run: ${peer.unavailable}`;
      } else {
        const peer = median(peerRuns.map((r) => r.samplesPerSecond));
        throughput.baseline = { label: `PyTorch ${peerRuns[0].version} (1 thread)`, value: peer };
        // > 1: how many times slower than PyTorch we are.
        throughput.ratio = peer / ours;
        throughput.note = `medians of ${o.epochs} timed epochs and ${peerRuns.length} interleaved peer runs`;
      }
      measures.push(throughput);

      const { stepMs, normsMs } = await normsVsStep(net, data, o, Math.ceil(o.n / o.batch));
      measures.push({
        name: 'per-example squared norms pass',
        value: normsMs,
        unit: 'ms/batch',
        baseline: { label: 'our plain training step', value: stepMs },
        ratio: normsMs / stepMs,
      });
    } finally {
      net.dispose();
    }
    return {
      id: 'training',
      title: trainingBench.title,
      backend: ctx.backend,
      measures,
      workload: {
        model: `mlp ${[o.d, ...o.hidden, o.classes].join('-')} tanh`,
        optimizer: `sgd lr ${LEARNING_RATE}`,
        n: o.n,
        batch: o.batch,
        epochs: o.epochs,
        warmupEpochs: o.warmupEpochs,
        data: data.description,
      },
    };
  },
};
