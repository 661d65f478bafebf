import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { writeDirAtomic } from '../core/atomic.js';
import { InputError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { ModelCache } from './model-cache.js';
import { distinctJobs, type ExperimentPlan } from './plan.js';
import { createExecutor } from './pool.js';
import type { Progress } from './progress.js';
import type { RunOptions } from './run.js';
import { loadSuite, type Suite } from './suite/load.js';

export interface ShardSpec {
  /** 1-based, as Playwright's --shard counts. */
  index: number;
  total: number;
}

/** `2/4` -> { index: 2, total: 4 }; an InputError otherwise. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && total >= 1 && index <= total)) {
    throw new InputError(`expected i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`, { field: '--shard' });
  }
  return { index, total };
}

const MANIFEST = 'shard.json';

const manifestSchema = z.object({
  kind: z.literal('ppml-audit-shard'),
  tool: z.string(),
  suite: z.object({ name: z.string(), file: z.string(), hash: z.string() }),
  seeds: z.array(z.number().int()),
  vars: z.record(z.string(), z.string()),
  backend: z.string(),
  shard: z.object({ index: z.number().int(), total: z.number().int() }),
  models: z.array(z.string()),
});

type Manifest = z.infer<typeof manifestSchema>;

/** A temporary cache folder for runs with the cache off (shards still need somewhere to train into). */
export async function withCache<T>(cacheDir: string | undefined, fn: (dir: string) => Promise<T>): Promise<T> {
  if (cacheDir) return fn(cacheDir);
  const tmp = await mkdtemp(join(tmpdir(), 'ppml-cache-'));
  try {
    return await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Trains the shard's slice of the suite's models (every n-th of the jobs ordered by key, so
 * each shard's slice is fixed by the suite and seed) and writes them with a manifest: the
 * partial result that `merge` combines (Playwright's blob reports work the same way).
 */
export async function runShard(suite: Suite, plans: ExperimentPlan[], backend: string, opts: RunOptions, outDir: string, progress: Progress) {
  const { index, total } = opts.shard!;
  const jobs = distinctJobs(plans).filter((_, k) => k % total === index - 1);
  progress.log(`shard ${index}/${total}: ${jobs.length} model(s)`);
  await withCache(opts.cacheDir, async (cacheDir) => {
    const executor = createExecutor({ workers: opts.workers, backend: opts.backend, cacheDir, progress: (m) => progress.update(m) });
    try {
      // Only the weights matter here; predictions happen when the merged run attacks.
      await Promise.all(jobs.map((j) => executor.run({ ...j, queryRows: undefined, returnWeights: false })));
    } finally {
      await executor.close();
    }
    const manifest: Manifest = {
      kind: 'ppml-audit-shard',
      tool: TOOL_VERSION,
      suite: { name: suite.name, file: resolve(suite.file), hash: suite.hash },
      seeds: suite.seeds,
      vars: suite.vars,
      backend,
      shard: { index, total },
      models: jobs.map((j) => j.key),
    };
    await writeDirAtomic(outDir, async (dir) => {
      await new ModelCache(cacheDir).copyTo(new ModelCache(join(dir, 'models')), manifest.models);
      await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    });
  });
  progress.log(`wrote shard ${index}/${total} to ${outDir}`);
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `not a shard folder (no ${MANIFEST}); pass the --out folders of 'run --shard'` : `unreadable: ${(err as Error).message}`, {
      file,
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`not a ppml-audit shard manifest: ${parsed.error.issues[0].message}`, { file });
  return parsed.data;
}

/**
 * Checks that the partial results are the complete set of shards of one suite, seed, backend
 * and tool version, puts their models in the cache, and returns the suite to run: every model
 * is then a cache hit, so the merged results equal an unsharded run with the same seed.
 */
export async function mergeShards(dirs: string[], cacheDir: string, suiteOverride?: string): Promise<{ suite: Suite; backend: string }> {
  if (dirs.length === 0) throw new InputError('merge needs the folders written by run --shard');
  const manifests = await Promise.all(dirs.map(readManifest));
  const first = manifests[0];
  for (const [i, m] of manifests.entries()) {
    const where = { file: join(dirs[i], MANIFEST) };
    const differs = (what: string, a: unknown, b: unknown) =>
      new InputError(`${what} ${JSON.stringify(a)} differs from ${JSON.stringify(b)} in ${join(dirs[0], MANIFEST)}; merge shards of one run only`, where);
    if (m.suite.hash !== first.suite.hash) throw differs('suite hash', m.suite.hash, first.suite.hash);
    if (JSON.stringify(m.seeds) !== JSON.stringify(first.seeds)) throw differs('seeds', m.seeds, first.seeds);
    if (JSON.stringify(m.vars) !== JSON.stringify(first.vars)) throw differs('vars', m.vars, first.vars);
    if (m.backend !== first.backend) throw differs('backend', m.backend, first.backend);
    if (m.tool !== first.tool) throw differs('tool version', m.tool, first.tool);
    if (m.shard.total !== first.shard.total) throw differs('shard count', m.shard.total, first.shard.total);
  }
  const have = new Set(manifests.map((m) => m.shard.index));
  const missing = Array.from({ length: first.shard.total }, (_, i) => i + 1).filter((i) => !have.has(i));
  if (missing.length || have.size !== manifests.length) {
    throw new InputError(
      `expected each of shards 1..${first.shard.total} once; ${missing.length ? `missing ${missing.join(', ')}` : 'some shard is given twice'}`,
    );
  }
  const suite = await loadSuite(suiteOverride ?? first.suite.file, { seeds: first.seeds, vars: first.vars });
  if (suite.hash !== first.suite.hash) {
    throw new InputError(`the suite changed since the shards ran (hash ${suite.hash.slice(0, 12)}, shards ${first.suite.hash.slice(0, 12)}); re-run the shards`, {
      file: suite.file,
    });
  }
  const target = new ModelCache(cacheDir);
  for (const [i, m] of manifests.entries()) await new ModelCache(join(dirs[i], 'models')).copyTo(target, m.models);
  return { suite, backend: first.backend };
}
