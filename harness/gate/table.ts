import { expectedText, failuresFirst, foundText, gateStatus, tally } from '../../core/gate-status.js';
import type { GateOutcome } from '../../core/results.js';

export const HEADER = ['Status', 'Experiment', 'Metric', 'Check', 'Found', 'Expected', 'Note'];

/** Outcomes as table rows, failures first, then warnings, then passes; notes only where it did not pass. */
export function outcomeRows(outcomes: GateOutcome[]): string[][] {
  return failuresFirst(outcomes).map((o) => [gateStatus(o), o.experimentName, o.metric, o.option, foundText(o), expectedText(o), o.passed ? '' : o.message]);
}

/** Columns padded to their widest cell, for a terminal or a CI log. */
export function textTable(outcomes: GateOutcome[]): string {
  if (!outcomes.length) return 'no assertion applied to these results\n';
  const rows = [HEADER, ...outcomeRows(outcomes)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  return `${lines.join('\n')}\n${tally(outcomes)}\n`;
}
