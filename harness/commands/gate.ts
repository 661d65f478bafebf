import { Command } from 'commander';
import { readResultsFile } from '../results-file.js';
import { loadAssertions, resolveAssertions } from '../gate/assertions.js';
import { assertGatesPassed, processIo, publishOutcomes } from '../gate/apply.js';
import { evaluateGates } from '../gate/evaluate.js';

const DEFAULT_PRESET = 'ppml:recommended';

interface GateOptions {
  assertions?: string;
  baseline?: string;
  junit?: string;
  json?: boolean;
}

/** `ppml-audit gate`: results.json (+ baseline) + assertions -> outcomes and exit 0, 1 or 2. */
export function gateCommand(): Command {
  return new Command('gate')
    .description('check a results.json against assertions (and a baseline run); exit 1 if an error-level assertion fails')
    .argument('<results>', 'results.json to check')
    .option('--assertions <file>', `assertions file, JSON or YAML (default: the ${DEFAULT_PRESET} preset)`)
    .option('--baseline <results>', 'results.json of a baseline run, for maxIncrease and maxDecrease')
    .option('--junit <file>', 'also write the outcomes as JUnit XML')
    .option('--json', 'print the outcomes as JSON on stdout')
    .action(async (file: string, o: GateOptions) => {
      const results = await readResultsFile(file);
      const baseline = o.baseline === undefined ? undefined : await readResultsFile(o.baseline);
      const set = o.assertions
        ? resolveAssertions(await loadAssertions(o.assertions), o.assertions)
        : resolveAssertions({ extends: DEFAULT_PRESET, assertions: {} }, DEFAULT_PRESET);
      const outcomes = evaluateGates(results, set, baseline);
      const io = processIo();
      // stdout carries the JSON with --json; the Actions runner reads workflow commands from stderr too.
      await publishOutcomes(outcomes, `ppml-audit gate: ${results.suite.name}`, o.junit, o.json ? { ...io, annotate: io.log } : io);
      if (o.json) process.stdout.write(JSON.stringify(outcomes, null, 2) + '\n');
      assertGatesPassed(outcomes);
    });
}
