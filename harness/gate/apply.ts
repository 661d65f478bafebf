import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic.js';
import { GateFailed } from '../../core/errors.js';
import type { Results } from '../../core/results.js';
import { parseAssertions, resolveAssertions } from './assertions.js';
import { evaluateGates, gateFailures, type GateOutcome } from './evaluate.js';
import { reportToGitHub } from './github.js';
import { gateJUnit } from './junit.js';
import { textTable } from './table.js';

/** Where gate output goes; the defaults are the process's, tests pass their own. */
export interface GateIo {
  env: NodeJS.ProcessEnv;
  /** The outcome table and other human output. */
  log: (text: string) => void;
  /** GitHub workflow commands (the runner reads them from stdout). */
  annotate: (text: string) => void;
}

export const processIo = (): GateIo => ({
  env: process.env,
  log: (t) => process.stderr.write(t),
  annotate: (t) => process.stdout.write(t),
});

/** Every output of one gate run: the table, JUnit XML when asked, GitHub annotations and summary. */
export async function publishOutcomes(outcomes: GateOutcome[], title: string, junitFile: string | undefined, io: GateIo): Promise<void> {
  io.log(textTable(outcomes));
  if (junitFile) await writeFileAtomic(junitFile, gateJUnit(outcomes));
  await reportToGitHub(outcomes, title, io.env, io.annotate);
}

/** Throws GateFailed (exit 1) when a check at level error failed; warnings pass. */
export function assertGatesPassed(outcomes: GateOutcome[]): void {
  const failed = gateFailures(outcomes).length;
  if (failed) throw new GateFailed(failed);
}

/**
 * A suite's own `gates:` (same format as an assertions file) checked on its fresh results:
 * the table to the log, junit.xml into the output folder, GitHub output in Actions. Returns the
 * outcomes; the caller decides when to `assertGatesPassed`, typically after its other outputs.
 */
export async function applySuiteGates(
  results: Results,
  gatesSpec: unknown,
  outDir: string,
  io: GateIo = processIo(),
): Promise<GateOutcome[]> {
  const source = results.suite.file;
  const outcomes = evaluateGates(results, resolveAssertions(parseAssertions(gatesSpec, source), source));
  await publishOutcomes(outcomes, `ppml-audit gate: ${results.suite.name}`, join(outDir, 'junit.xml'), io);
  return outcomes;
}
