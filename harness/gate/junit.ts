import { renderJUnit, type JUnitSuite } from '../../reports/junit.js';
import { expectedText, foundText, gateStatus } from '../../core/gate-status.js';
import type { GateOutcome } from '../../core/results.js';

/**
 * Gate outcomes as JUnit XML: a test suite per experiment, a test case per checked option named
 * `<metric> <option>` (stable across runs, so CI can track its history). A failed error-level
 * check is a failure; a failed warn-level check passes with the warning as its output, since
 * JUnit has no warning state and a warning must not turn the build red.
 */
export function gateJUnit(outcomes: GateOutcome[]): string {
  const suites = new Map<string, JUnitSuite>();
  for (const o of outcomes) {
    const suite = suites.get(o.experiment) ?? { name: o.experimentName, cases: [] };
    const s = gateStatus(o);
    suite.cases.push({
      name: `${o.metric} ${o.option}`,
      className: o.experiment,
      ...(s === 'FAIL' && {
        failure: {
          type: o.option,
          message: o.message,
          body: `expected: ${expectedText(o)}\nfound: ${foundText(o)}\nassertion: ${o.assertion} (${o.source})`,
        },
      }),
      ...(s === 'WARN' && { output: `warning: ${o.message}` }),
    });
    suites.set(o.experiment, suite);
  }
  return renderJUnit('ppml-audit gate', [...suites.values()]);
}
