import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeDirAtomic } from '../core/atomic.js';
import { redact } from '../core/redact.js';
import { resultsSchema, SCHEMA_VERSION, type Results } from '../core/results.js';
import { withScores } from '../core/scores.js';
import { TOOL_VERSION } from '../core/version.js';
import { renderHtml } from '../reports/html.js';
import { renderMarkdown } from '../reports/markdown.js';
import { selectBackend, type BackendChoice } from '../targets/backend.js';
import { environment } from './environment.js';
import { runExperiment } from './experiment.js';
import { applySuiteGates } from './gate/apply.js';
import { planExperiment, type ExperimentPlan } from './plan.js';
import { createExecutor } from './pool.js';
import type { Progress } from './progress.js';
import { runShard, type ShardSpec } from './shard.js';
import { loadSuite, type Suite } from './suite/load.js';

export interface RunOptions {
  out?: string;
  seed?: number;
  vars?: Record<string, string>;
  backend: BackendChoice;
  workers: number;
  /** The model cache's folder; undefined bypasses the cache. */
  cacheDir?: string;
  /** Train only this slice of the suite's models and write a partial result. */
  shard?: ShardSpec;
  /** The command line as typed, recorded for reproducibility. */
  command: string;
  /** Leave record-level values out of every output (the suite's `redact: true` does the same). */
  redact?: boolean;
}

/** results.json, report.html and summary.md into `dir` (a temp dir the caller renames). */
export async function writeOutputs(dir: string, results: Results): Promise<void> {
  await writeFile(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  await writeFile(join(dir, 'report.html'), renderHtml(results));
  await writeFile(join(dir, 'summary.md'), renderMarkdown(results));
}

/** Plans every experiment first, so bad input (an unsupported attack setting) fails before anything trains. */
export async function planSuite(suite: Suite, backend: string): Promise<ExperimentPlan[]> {
  const plans: ExperimentPlan[] = [];
  for (const e of suite.experiments) plans.push(await planExperiment(e, backend));
  return plans;
}

/**
 * suite file -> validated experiments -> planned jobs -> trained targets and reference models
 * (worker threads, model cache) -> attacks -> scores -> the suite's gates -> outputs. The output
 * folder appears only when everything succeeded. With a shard, only that slice of the models
 * trains. A failed gate is in the returned results; the caller decides the exit code.
 */
export async function runSuite(file: string, opts: RunOptions, progress: Progress): Promise<{ results?: Results; outDir: string }> {
  const suite = await loadSuite(file, { seed: opts.seed, vars: opts.vars });
  return runLoadedSuite(suite, opts, progress);
}

export async function runLoadedSuite(suite: Suite, opts: RunOptions, progress: Progress): Promise<{ results?: Results; outDir: string }> {
  const backend = await selectBackend(opts.backend);
  const plans = await planSuite(suite, backend);
  const jobs = plans.reduce((s, p) => s + 1 + p.attacks.reduce((t, a) => t + a.jobs.length, 0), 0);
  progress.log(
    `suite ${suite.name}: ${suite.experiments.length} experiment(s), ${jobs} model(s) to train or load, backend ${backend}, ` +
      `${opts.workers} worker(s), cache ${opts.cacheDir ?? 'off'}`,
  );
  if (opts.shard) {
    const outDir = resolve(opts.out ?? join('out', `${suite.name}-shard-${opts.shard.index}-of-${opts.shard.total}`));
    await runShard(suite, plans, backend, opts, outDir, progress);
    return { outDir };
  }
  const outDir = resolve(opts.out ?? join('out', suite.name));
  const startedAt = new Date().toISOString();
  const executor = createExecutor({ workers: opts.workers, backend: opts.backend, cacheDir: opts.cacheDir, progress: (m) => progress.update(m) });
  let experiments;
  try {
    experiments = await Promise.all(plans.map((p) => runExperiment(p, executor, (m) => progress.update(`${p.spec.name}: ${m}`))));
  } finally {
    await executor.close();
  }
  for (const e of experiments) {
    const worst = Math.max(...e.attacks.map((a) => a.metrics['tprAt1e-3']?.value ?? 0));
    progress.log(
      `${e.name}: test accuracy ${(100 * e.utility.testAccuracy).toFixed(1)}%, ` +
        `best TPR@0.1%FPR ${(100 * worst).toFixed(2)}%, target trained in ${e.costs.trainingSeconds.toFixed(1)} s, ` +
        `${e.costs.referenceModels} reference model(s), ${e.costs.cachedModels} from cache`,
    );
  }
  const measured = resultsSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ppml-audit', version: TOOL_VERSION },
    suite: { name: suite.name, description: suite.description, file: suite.file, hash: suite.hash },
    command: opts.command,
    seed: suite.seed,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: environment(backend),
    // Utility and cost compare with a baseline experiment, so scores wait for all of them.
    experiments: withScores(experiments),
  } satisfies Results);
  let results = measured;
  await writeDirAtomic(outDir, async (dir) => {
    // junit.xml goes into the folder-to-be; gates read aggregates only, so redaction comes after.
    const gates = suite.gates && (await applySuiteGates(measured, suite.gates, dir));
    const gated = gates ? { ...measured, gates } : measured;
    results = opts.redact || suite.redact ? redact(gated) : gated;
    await writeOutputs(dir, results);
  });
  return { results, outDir };
}
