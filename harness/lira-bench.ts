import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { BenchDefinition } from '../core/bench.js';
import { recipeSchema } from '../targets/training/optimizers.js';
import { backendChoiceOf } from '../targets/backend.js';
import { runExperiment } from './experiment.js';
import { planExperiment } from './plan.js';
import { createExecutor } from './pool.js';
import type { ExperimentSpec } from './suite/load.js';

const options = z
  .object({
    references: z.number().int().min(2).default(16),
    members: z.number().int().positive().default(10000),
    epochs: z.number().int().positive().default(20),
    workers: z.number().int().positive().default(availableParallelism()),
  })
  .strict();

/** The workload: LiRA online on an MLP 600-256-100 trained on `members` records. */
function spec(o: z.infer<typeof options>): ExperimentSpec {
  const n = 2 * o.members + 2000;
  return {
    id: 'lira-bench',
    name: 'lira-bench',
    variant: {},
    dataset: { id: 'synthetic', options: { n, features: 600, classes: 100, flip: 0.3, flipSpread: 0.2, density: 0.5 } },
    model: { id: 'mlp', options: { hidden: [256], activation: 'tanh' } },
    training: recipeSchema.parse({ optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, batchSize: 64, epochs: o.epochs }),
    split: { members: o.members, nonMembers: o.members, population: 1000, test: 1000 },
    api: 'probabilities',
    attacks: [{ id: 'lira', options: { references: o.references, mode: 'online', variance: 'auto' } }],
    fprs: [],
    seed: 1,
    file: '(bench)',
    baseDir: process.cwd(),
  };
}

/**
 * End to end: LiRA with its reference models trained on the worker pool, then the same run
 * again from the model cache. The baseline, measured in the same run, is the target model
 * trained alone on one thread: a perfectly parallel run costs (references + 1) / workers times that.
 */
export const liraBench: BenchDefinition<typeof options> = {
  id: 'lira',
  title: 'LiRA: parallel reference models and cached rerun',
  description: 'Wall time of a LiRA audit with 16 reference models, cold and from the model cache.',
  options,
  async run(o, ctx) {
    const s = spec(o);
    const cacheDir = await mkdtemp(join(tmpdir(), 'ppml-lira-bench-'));
    const backend = backendChoiceOf(ctx.backend);
    const timed = async (workers: number, cache: string | undefined, only?: 'target') => {
      const plan = await planExperiment(s, ctx.backend);
      const executor = createExecutor({ workers, backend, cacheDir: cache, progress: () => undefined });
      const t0 = performance.now();
      try {
        if (only) await executor.run(plan.target);
        else await runExperiment(plan, executor, (m) => ctx.log(`  ${m}`));
      } finally {
        await executor.close();
      }
      return (performance.now() - t0) / 1000;
    };
    try {
      ctx.log(`lira bench: one model alone, then ${o.references} references + target on ${o.workers} workers, then cached`);
      const single = await timed(1, undefined, 'target');
      const cold = await timed(o.workers, cacheDir);
      const warm = await timed(o.workers, cacheDir);
      const models = o.references + 1;
      return {
        id: 'lira',
        title: liraBench.title,
        backend: ctx.backend,
        workload: { ...o, model: 'mlp 600-256-100', batchSize: 64, models },
        measures: [
          {
            name: 'cold run',
            value: cold,
            unit: 's',
            baseline: { label: 'one model alone', value: single },
            ratio: cold / single,
            note: `perfect parallelism would give ${(models / o.workers).toFixed(1)}x`,
          },
          { name: 'cached rerun', value: warm, unit: 's', baseline: { label: 'cold run', value: cold }, ratio: warm / cold },
        ],
      };
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  },
};
