import { z } from 'zod';
import type { BenchDefinition, BenchMeasure } from '../../core/bench.js';
import { Rng } from '../../core/rng.js';
import { median } from '../../core/stats.js';
import { LEARNING_RATE, benchMlp, findPeer, medianMs, randomDataset, runPeer, trainingBenchOptions } from '../../targets/training/bench.js';
import { centralTrainer } from '../../targets/training/central.js';
import { recipeSchema } from '../../targets/training/optimizers.js';
import { dpSgdTrainer } from './dp-sgd.js';

const NOISE = 1;
const CLIP = 1;

// An epoch takes well under a second here, so more of them: the median of 6 alternating pairs.
const options = trainingBenchOptions.extend({ epochs: z.number().int().positive().default(6), warmupEpochs: z.number().int().nonnegative().default(2) });

/**
 * An epoch of DP-SGD (Poisson sampling at q = batch / N, ghost clipping, Gaussian noise from
 * the CSPRNG) against an epoch of plain minibatch training of the same MLP on the same backend:
 * both take N / batch steps of the same expected size, so the epoch ratio is the step ratio.
 * The PyTorch peer's ghost-clipping step against its plain step, run in the same bench, is the
 * yardstick.
 */
export const dpSgdBench: BenchDefinition<typeof options> = {
  id: 'dp-sgd',
  title: 'DP-SGD step cost',
  description: 'DP-SGD epoch time vs plain training of the same MLP; PyTorch ghost clipping vs plain as the yardstick.',
  options,
  async run(o, ctx) {
    const rng = Rng.fromSeed('bench/dp-sgd');
    const data = randomDataset(o, rng.fork('data'));
    const net = benchMlp(o, rng);
    const rows = Int32Array.from({ length: o.n }, (_, i) => i);
    const recipe = recipeSchema.parse({ optimizer: 'sgd', learningRate: LEARNING_RATE, batchSize: o.batch, epochs: 1 });
    const sampleRate = o.batch / o.n;
    const plain = centralTrainer(recipe);
    const dp = dpSgdTrainer(recipe, { noiseMultiplier: NOISE, clip: CLIP, sampleRate, steps: Math.round(1 / sampleRate) });
    const measures: BenchMeasure[] = [];
    try {
      ctx.log(`dp-sgd: ${o.warmupEpochs} warm-up + ${o.epochs} timed epochs of each, alternating, on ${ctx.backend}`);
      // Alternate the two so that drifting machine speed hits both alike.
      const plainTimes: number[] = [];
      const dpTimes: number[] = [];
      for (let k = 0; k < o.warmupEpochs + o.epochs; k++) {
        plainTimes.push(await medianMs('plain', 1, 0, async () => void (await plain.train(net, data, rows, rng.fork(`plain/${k}`)))));
        dpTimes.push(await medianMs('dp', 1, 0, async () => void (await dp.train(net, data, rows, rng.fork(`dp/${k}`)))));
      }
      const plainMs = median(plainTimes.slice(o.warmupEpochs));
      const dpMs = median(dpTimes.slice(o.warmupEpochs));
      measures.push({
        name: 'DP-SGD epoch',
        value: dpMs,
        unit: 'ms',
        baseline: { label: 'our plain training epoch', value: plainMs },
        ratio: dpMs / plainMs,
        note: `${Math.round(o.n / o.batch)} steps each; noise multiplier ${NOISE}, clip ${CLIP}`,
      });
      const peer = await findPeer(ctx.peersDir);
      if ('dir' in peer) {
        const runs = { none: [] as number[], ghost: [] as number[] };
        for (let k = 0; k < 3; k++) {
          runs.none.push((await runPeer(o, peer.dir)).samplesPerSecond);
          runs.ghost.push((await runPeer(o, peer.dir, ['--dp', 'ghost', '--clip', `${CLIP}`, '--sigma', `${NOISE}`])).samplesPerSecond);
        }
        const [none, ghost] = [median(runs.none), median(runs.ghost)];
        measures.push({
          name: 'PyTorch DP step (ghost clipping)',
          value: 1000 * (o.batch / ghost),
          unit: 'ms/step',
          baseline: { label: 'PyTorch plain step', value: 1000 * (o.batch / none) },
          ratio: none / ghost,
          note: 'the peer, 1 thread, 3 interleaved runs each',
        });
      } else {
        measures[0].note += `; PyTorch peer not run: ${peer.unavailable}`;
      }
    } finally {
      net.dispose();
    }
    return {
      id: 'dp-sgd',
      title: dpSgdBench.title,
      backend: ctx.backend,
      measures,
      workload: { model: `mlp ${[o.d, ...o.hidden, o.classes].join('-')} tanh`, n: o.n, batch: o.batch, epochs: o.epochs, sampleRate, data: data.description },
    };
  },
};
