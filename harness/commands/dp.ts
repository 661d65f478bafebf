import { Command, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import { epsilon } from '../../defenses/dp/accountants/accountant.js';
import { accountants } from '../../defenses/dp/accountants/index.js';
import type { EpsilonReport } from '../../defenses/dp/accountants/types.js';
import { noiseForEpsilon } from '../../defenses/dp/noise-search.js';
import { deltaWarning } from '../../defenses/dp/validate.js';

/** The flag behind each field the DP library names in its InputErrors. */
const FLAGS: Record<string, string> = {
  sampleRate: '--sample-rate',
  noiseMultiplier: '--noise-multiplier',
  steps: '--steps',
  delta: '--delta',
  targetEpsilon: '--target-epsilon',
  accountant: '--accountant',
  datasetSize: '--dataset-size',
};

function numberArg(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} expects a number, got '${v}'`);
    return n;
  };
}

/** Runs a library call and points its InputErrors at the command-line flag. */
function atFlags<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof InputError && err.location.field && err.location.field in FLAGS) {
      throw new InputError(err.message, { ...err.location, field: FLAGS[err.location.field] });
    }
    throw err;
  }
}

interface Common {
  sampleRate: number;
  steps: number;
  delta: number;
  accountant: string;
  datasetSize?: number;
  json?: boolean;
}

/** The options both subcommands share. */
function withCommonOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--sample-rate <q>', 'Poisson sampling probability per step (batch size / dataset size)', numberArg('--sample-rate'))
    .requiredOption('--steps <n>', 'number of training steps', numberArg('--steps'))
    .requiredOption('--delta <d>', 'target delta, well below 1 / dataset size', numberArg('--delta'))
    .addOption(new Option('--accountant <id>', 'privacy accountant').choices(accountants.ids()).default('rdp'))
    .option('--dataset-size <n>', 'warn when delta >= 1 / dataset size', numberArg('--dataset-size'))
    .option('--json', 'print the result as JSON');
}

const fmt = (x: number) => String(Number(x.toPrecision(6)));

function describe(r: EpsilonReport): string {
  const d = r.details;
  if (d?.kind === 'rdp') return `${r.accountant} accountant, best order ${d.order}`;
  if (d?.kind === 'prv') return `${r.accountant} accountant, estimate ${fmt(d.estimate)}, bounds [${fmt(d.lower)}, ${fmt(d.upper)}]`;
  return `${r.accountant} accountant`;
}

/** Prints one result: JSON on stdout, or a headline with the method and assumptions and warnings on stderr. */
function output(o: Common, head: string, report: EpsilonReport, extra: Record<string, number> = {}): void {
  const { datasetSize } = o;
  const dataset = datasetSize === undefined ? undefined : atFlags(() => deltaWarning(o.delta, datasetSize));
  const warnings = dataset ? [...report.warnings, dataset] : report.warnings;
  if (o.json) {
    process.stdout.write(JSON.stringify({ ...extra, ...report, warnings }, null, 2) + '\n');
    return;
  }
  const lines = [head, `  method: ${report.method}`, ...Object.entries(report.assumptions).map(([k, v]) => `  ${k}: ${v}`)];
  process.stdout.write(lines.join('\n') + '\n');
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}

/** `ppml-audit dp`: epsilon of a DP-SGD configuration, and the noise for a target epsilon. */
export function dpCommand(): Command {
  // Settings set here before the subcommands are created are inherited by them: errors throw
  // (the CLI maps them to exit codes) instead of exiting the process.
  const dp = new Command('dp')
    .description('differential privacy accounting for DP-SGD (Poisson-subsampled Gaussian)')
    .exitOverride()
    .showHelpAfterError();

  withCommonOptions(
    dp
      .command('epsilon')
      .description('epsilon spent by a DP-SGD run at a delta')
      .requiredOption('--noise-multiplier <s>', 'noise std divided by the clipping norm', numberArg('--noise-multiplier')),
  ).action((o: Common & { noiseMultiplier: number }) => {
    const report = atFlags(() => epsilon(o));
    output(o, `epsilon ${fmt(report.epsilon)} at delta ${o.delta} (${describe(report)})`, report);
  });

  withCommonOptions(
    dp
      .command('noise')
      .description('smallest noise multiplier whose epsilon meets a target')
      .requiredOption('--target-epsilon <e>', 'the epsilon to meet', numberArg('--target-epsilon')),
  ).action((o: Common & { targetEpsilon: number }) => {
    const { noiseMultiplier, report } = atFlags(() => noiseForEpsilon(o));
    const meets = `epsilon ${fmt(report.epsilon)} <= ${o.targetEpsilon} at delta ${o.delta}`;
    output(o, `noise multiplier ${fmt(noiseMultiplier)} gives ${meets} (${describe(report)})`, report, { noiseMultiplier });
  });

  return dp;
}
