#!/usr/bin/env node
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { attacks } from '../attacks/index.js';
import { writeFileAtomic } from '../core/atomic.js';
import { EXIT, InputError } from '../core/errors.js';
import type { PluginMeta, Registry } from '../core/registry.js';
import { resultsSchema, SCHEMA_VERSION } from '../core/results.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../core/version.js';
import { renderHtml } from '../reports/html.js';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../targets/backend.js';
import { datasets } from '../targets/datasets/index.js';
import { models } from '../targets/models/index.js';
import { benches } from './benches.js';
import { dpCommand } from './commands/dp.js';
import { Progress } from './progress.js';
import { runSuite } from './run.js';
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

const backendOption = () =>
  new Option('--backend <name>', 'tfjs backend').choices(BACKEND_CHOICES as unknown as string[]).default('auto');

function printPlugins(title: string, registry: Registry<PluginMeta>): void {
  process.stdout.write(`${title}:\n`);
  for (const p of registry.list()) process.stdout.write(`  ${p.id.padEnd(16)} ${p.title}: ${p.description}\n`);
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
    .addOption(backendOption())
    .option('--workers <n>', 'worker threads for experiments', positiveInt('--workers'), availableParallelism())
    .option('--json', 'print results.json on stdout')
    .action(async (file: string, o: { out?: string; seed?: number; backend: BackendChoice; workers: number; json?: boolean }) => {
      const progress = new Progress();
      const command = ['ppml-audit', ...process.argv.slice(2)].join(' ');
      const { results, outDir } = await runSuite(file, { ...o, command }, progress);
      progress.log(`wrote ${join(outDir, 'report.html')}`);
      if (o.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    });

  cli
    .command('validate')
    .description('check a suite file without running it')
    .argument('<suite>', 'suite YAML file')
    .action(async (file: string) => {
      const suite = await loadSuite(file);
      process.stdout.write(`${file}: ok, ${suite.experiments.length} experiment(s)\n`);
      for (const e of suite.experiments) process.stdout.write(`  ${e.id}: ${e.name}\n`);
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
        defenses: () => process.stdout.write('defenses:\n  (none in this version: every configuration trains undefended)\n'),
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
    .action(async (file: string, o: { out?: string }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new InputError(e.code === 'ENOENT' ? 'file not found' : `not valid JSON: ${e.message}`, { file });
      }
      const version = (raw as { schemaVersion?: unknown })?.schemaVersion;
      if (version !== SCHEMA_VERSION) {
        throw new InputError(
          `schemaVersion ${JSON.stringify(version)} is not ${SCHEMA_VERSION}; re-run the suite with ppml-audit ${TOOL_VERSION}`,
          { file, field: 'schemaVersion' },
        );
      }
      const parsed = resultsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError(`not a ppml-audit results file: ${issue.message}`, { file, field: issue.path.join('.') });
      }
      const out = o.out ?? join(dirname(file), 'report.html');
      await writeFileAtomic(out, renderHtml(parsed.data));
      process.stderr.write(`wrote ${out}\n`);
    });

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

  cli.addCommand(dpCommand());
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
    process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.internal;
  }
}

process.exitCode = await main(process.argv);
