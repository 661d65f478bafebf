import { join, resolve } from 'node:path';
import { writeDirAtomic } from '../core/atomic.js';
import { resultsSchema, SCHEMA_VERSION, type Results } from '../core/results.js';
import { TOOL_VERSION } from '../core/version.js';
import { renderHtml } from '../reports/html.js';
import { renderMarkdown } from '../reports/markdown.js';
import { selectBackend, type BackendChoice } from '../targets/backend.js';
import { environment } from './environment.js';
import { runExperiments } from './pool.js';
import type { Progress } from './progress.js';
import { loadSuite } from './suite/load.js';
import { writeFile } from 'node:fs/promises';

export interface RunOptions {
  out?: string;
  seed?: number;
  backend: BackendChoice;
  workers: number;
  /** The command line as typed, recorded for reproducibility. */
  command: string;
}

/** results.json, report.html and summary.md into `dir` (a temp dir the caller renames). */
export async function writeOutputs(dir: string, results: Results): Promise<void> {
  await writeFile(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  await writeFile(join(dir, 'report.html'), renderHtml(results));
  await writeFile(join(dir, 'summary.md'), renderMarkdown(results));
}

/**
 * suite file -> validated experiments -> trained targets and attacks -> outputs. The suite is
 * fully validated before any work, and the output folder appears only when everything succeeded.
 */
export async function runSuite(file: string, opts: RunOptions, progress: Progress): Promise<{ results: Results; outDir: string }> {
  const suite = await loadSuite(file, opts.seed);
  const backend = await selectBackend(opts.backend);
  const outDir = resolve(opts.out ?? join('out', suite.name));
  progress.log(`suite ${suite.name}: ${suite.experiments.length} experiment(s), backend ${backend}, ${opts.workers} worker(s)`);
  const startedAt = new Date().toISOString();
  const experiments = await runExperiments(suite.experiments, opts.workers, opts.backend, (i, m) =>
    progress.update(`[${i + 1}/${suite.experiments.length}] ${suite.experiments[i].name}: ${m}`),
  );
  for (const e of experiments) {
    const worst = Math.max(...e.attacks.map((a) => a.metrics['tprAt1e-3']?.value ?? 0));
    progress.log(
      `${e.name}: test accuracy ${(100 * e.utility.testAccuracy).toFixed(1)}%, ` +
        `best TPR@0.1%FPR ${(100 * worst).toFixed(2)}%, trained in ${e.costs.trainingSeconds.toFixed(1)} s`,
    );
  }
  const results = resultsSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ppml-audit', version: TOOL_VERSION },
    suite: { name: suite.name, description: suite.description, file: suite.file, hash: suite.hash },
    command: opts.command,
    seed: suite.seed,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: environment(backend),
    experiments,
  } satisfies Results);
  await writeDirAtomic(outDir, (dir) => writeOutputs(dir, results));
  return { results, outDir };
}
