#!/usr/bin/env node
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { attacks } from '../attacks/index.js';
import { defenses } from '../defenses/index.js';
import { writeFileAtomic } from '../core/atomic.js';
import { EXIT, GateFailed, InputError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { PluginMeta, Registry } from '../core/registry.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../core/version.js';
import { renderHtml } from '../reports/html.js';
import { BACKEND_CHOICES, backendChoiceOf, selectBackend, type BackendChoice } from '../targets/backend.js';
import { datasets } from '../targets/datasets/index.js';
import { models } from '../targets/models/index.js';
import { benches } from './benches.js';
import { dpCommand } from './commands/dp.js';
import { gateCommand } from './commands/gate.js';
import { assertGatesPassed } from './gate/apply.js';
import { renderPdf } from './pdf.js';
import { Progress } from './progress.js';
import { readResultsFile } from './results-file.js';
import { planSuite, runLoadedSuite, runSuite, type RunOptions } from './run.js';
import { mergeShards, parseShard, withCache, type ShardSpec } from './shard.js';
import { writeJsonSchemas } from './schemas.js';
import { loadSuite } from './suite/load.js';

function positiveInt(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} expects a positive integer, got '${v}'`);
    return n;
  };
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${v}'`);
  return n;
}

const REDACT_HELP = 'leave record-level values (ids and labels of the records an attack flags first) out of every output';

const backendOption = () =>
  new Option('--backend <name>', 'tfjs backend').choices(BACKEND_CHOICES as unknown as string[]).default('auto');

interface RunFlags {
  out?: string;
  backend: BackendChoice;
  workers: number;
  cache: boolean;
  cacheDir: string;
  json?: boolean;
  redact?: boolean;
}

function collectVar(v: string, acc: Record<string, string>): Record<string, string> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
  if (!m) throw new InvalidArgumentError(`expected name=value, got '${v}'`);
  return { ...acc, [m[1]]: m[2] };
}

function runOptions(o: RunFlags & { seed?: number; var?: Record<string, string>; shard?: ShardSpec }): RunOptions {
  return {
    out: o.out,
    seed: o.seed,
    vars: o.var,
    backend: o.backend,
    workers: o.workers,
    cacheDir: o.cache ? resolve(o.cacheDir) : undefined,
    shard: o.shard,
    redact: o.redact,
    command: ['ppml-audit', ...process.argv.slice(2)].join(' '),
  };
}

function printPlugins(title: string, registry: Registry<PluginMeta>): void {
  process.stdout.write(`${title}:\n`);
  const width = Math.max(16, ...registry.list().map((p) => p.id.length + 1));
  for (const p of registry.list()) process.stdout.write(`  ${p.id.padEnd(width)} ${p.title}: ${p.description}\n`);
}

function builtInSuites(): { id: string; description: string }[] {
  const dir = join(PACKAGE_ROOT, 'suites');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const doc = parseYaml(readFileSync(join(dir, f), 'utf8')) as { description?: string };
      return { id: `suites/${f}`, description: doc?.description ?? '' };
    });
}

/** ../shared/peers beside the checkout, or $PPML_PEERS_DIR: where peer yardsticks live. */
function peersDir(): string | undefined {
  const dir = process.env.PPML_PEERS_DIR ?? resolve(PACKAGE_ROOT, '..', 'shared', 'peers');
  return existsSync(dir) ? dir : undefined;
}

function program(): Command {
  const cli = new Command('ppml-audit')
    .description('Privacy attack and audit benchmark harness for privacy-preserving machine learning')
    .version(TOOL_VERSION)
    .exitOverride()
    .showHelpAfterError();

  cli
    .command('run')
    .description('run a suite: train targets, run attacks, write results.json, report.html and summary.md')
    .argument('<suite>', 'suite YAML file')
    .option('--out <dir>', 'output folder (default: out/<suite name>)')
    .option('--seed <n>', 'override the suite seed', nonNegativeInt)
    .option('--var <name=value>', "set one of the suite's vars (repeatable)", collectVar, {})
    .addOption(backendOption())
    .option('--workers <n>', 'worker threads that train models', positiveInt('--workers'), availableParallelism())
    .option('--cache-dir <dir>', 'model cache folder', process.env.PPML_CACHE_DIR ?? '.ppml-cache')
    .option('--no-cache', 'train every model, neither reading nor writing the cache')
    .option('--shard <i/n>', 'train only slice i of n of the models and write a partial result for merge', parseShard)
    .option('--json', 'print results.json on stdout')
    .option('--redact', REDACT_HELP)
    .action(async (file: string, o: RunFlags & { seed?: number; var?: Record<string, string>; shard?: ShardSpec }) => {
      const progress = new Progress();
      const { results, outDir } = await runSuite(file, runOptions(o), progress);
      if (results) progress.log(`wrote ${join(outDir, 'report.html')}`);
      if (o.json && results) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      // Every output is written by now; a failed error-level gate of the suite exits 1.
      assertGatesPassed(results?.gates ?? []);
    });

  cli
    .command('merge')
    .description('combine the partial results of run --shard into one results.json and report')
    .argument('<partials...>', 'the folders written by run --shard')
    .option('--out <dir>', 'output folder (default: out/<suite name>)')
    .option('--suite <file>', 'the suite file, if it moved since the shards ran')
    .addOption(backendOption())
    .option('--workers <n>', 'worker threads for inference', positiveInt('--workers'), availableParallelism())
    .option('--cache-dir <dir>', 'model cache folder to merge into', process.env.PPML_CACHE_DIR ?? '.ppml-cache')
    .option('--no-cache', 'merge into a temporary cache instead')
    .option('--json', 'print results.json on stdout')
    .option('--redact', REDACT_HELP)
    .action(async (dirs: string[], o: RunFlags & { suite?: string }) => {
      const progress = new Progress();
      const flags = runOptions(o);
      const { results, outDir } = await withCache(flags.cacheDir, async (cacheDir) => {
        const { suite, backend } = await mergeShards(dirs, cacheDir, o.suite);
        return runLoadedSuite(suite, { ...flags, cacheDir, backend: backendChoiceOf(backend) }, progress);
      });
      progress.log(`wrote ${join(outDir, 'report.html')}`);
      if (o.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      assertGatesPassed(results?.gates ?? []);
    });

  cli
    .command('validate')
    .description('check a suite file without running it')
    .argument('<suite>', 'suite YAML file')
    .option('--var <name=value>', "set one of the suite's vars (repeatable)", collectVar, {})
    .action(async (file: string, o: { var: Record<string, string> }) => {
      const suite = await loadSuite(file, { vars: o.var });
      // Planning loads the data and checks every attack's reference models against the split.
      const plans = await planSuite(suite, 'validate');
      process.stdout.write(`${file}: ok, ${suite.experiments.length} experiment(s)\n`);
      for (const p of plans) {
        const refs = new Set(p.attacks.flatMap((a) => a.jobs.map((j) => j.key))).size;
        process.stdout.write(`  ${p.spec.id}: ${p.spec.name} (${p.data.n} records, ${p.attacks.length} attack(s), ${refs} reference model(s))\n`);
      }
    });

  cli
    .command('list')
    .description('list what is available')
    .argument('[kind]', 'datasets | models | attacks | defenses | suites (default: all)')
    .action((kind?: string) => {
      const kinds: Record<string, () => void> = {
        datasets: () => printPlugins('datasets', datasets),
        models: () => printPlugins('models', models),
        attacks: () => printPlugins('attacks', attacks),
        defenses: () => printPlugins('defenses', defenses),
        suites: () => {
          process.stdout.write('suites:\n');
          for (const s of builtInSuites()) process.stdout.write(`  ${s.id.padEnd(24)} ${s.description}\n`);
        },
      };
      if (kind && !kinds[kind]) throw new InputError(`unknown kind '${kind}'; use one of ${Object.keys(kinds).join(', ')}`);
      for (const k of kind ? [kind] : Object.keys(kinds)) kinds[k]();
    });

  cli
    .command('report')
    .description('re-render report.html from a results.json without re-running')
    .argument('<results>', 'results.json')
    .option('--out <file>', 'output HTML file (default: report.html beside results.json)')
    .option('--redact', REDACT_HELP)
    .option('--pdf [file]', 'also print the report to PDF through a local Chromium ($CHROMIUM_PATH or /usr/bin/chromium); default: report.pdf beside the HTML')
    .action(async (file: string, o: { out?: string; redact?: boolean; pdf?: boolean | string }) => {
      const read = await readResultsFile(file);
      const results = o.redact ? redact(read) : read;
      const out = o.out ?? join(dirname(file), 'report.html');
      await writeFileAtomic(out, renderHtml(results));
      process.stderr.write(`wrote ${out}\n`);
      if (o.pdf) {
        const pdf = typeof o.pdf === 'string' ? o.pdf : join(dirname(out), 'report.pdf');
        await renderPdf(out, pdf);
        process.stderr.write(`wrote ${pdf}\n`);
      }
    });

  // addCommand does not pass on exitOverride, which maps usage errors to exit 2 in main().
  cli.addCommand(gateCommand().copyInheritedSettings(cli));

  cli
    .command('bench')
    .description('run microbenchmarks and compare with a baseline measured in the same run')
    .argument('[name]', `one of: ${benches.ids().join(', ')} (default: all)`)
    .addOption(backendOption())
    .option('--out <dir>', 'folder for <bench>.json', 'out/bench')
    .option('--json', 'print the results as JSON on stdout')
    .action(async (name: string | undefined, o: { backend: BackendChoice; out: string; json?: boolean }) => {
      const chosen = name ? [benches.get(name, 'bench name')] : benches.list();
      const backend = await selectBackend(o.backend);
      const all = [];
      for (const b of chosen) {
        const result = await b.run(b.options.parse({}), { backend, peersDir: peersDir(), log: (l) => process.stderr.write(`${l}\n`) });
        await writeFileAtomic(join(o.out, `${b.id}.json`), JSON.stringify(result, null, 2) + '\n');
        all.push(result);
        process.stderr.write(`${b.title} (${backend}):\n`);
        for (const m of result.measures) {
          const base = m.baseline ? ` vs ${m.baseline.label} ${m.baseline.value.toPrecision(4)}` : '';
          const ratio = m.ratio !== undefined ? ` -> ratio ${m.ratio.toFixed(2)}` : '';
          process.stderr.write(`  ${m.name}: ${m.value.toPrecision(4)} ${m.unit}${base}${ratio}${m.note ? ` (${m.note})` : ''}\n`);
        }
      }
      if (o.json) process.stdout.write(JSON.stringify(all, null, 2) + '\n');
    });

  cli
    .command('schema')
    .description('regenerate suites/suite.schema.json and schemas/results.schema.json from the zod schemas')
    .action(async () => {
      for (const f of await writeJsonSchemas()) process.stderr.write(`wrote ${f}\n`);
    });

  cli.addCommand(dpCommand().copyInheritedSettings(cli));
  return cli;
}

/** Parses argv and maps every failure to the documented exit codes. */
async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version'
        ? EXIT.ok
        : EXIT.badInput;
    }
    if (err instanceof InputError) {
      process.stderr.write(`error: ${err.format()}\n`);
      return EXIT.badInput;
    }
    if (err instanceof GateFailed) {
      process.stderr.write(`gate failed: ${err.message}\n`);
      return EXIT.gateFailed;
    }
    process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.internal;
  }
}

// `ppml-audit list | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = await main(process.argv);
