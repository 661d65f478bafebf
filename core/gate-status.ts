import type { GateOutcome } from './results.js';

/**
 * How a gate outcome reads, shared by the gate's own outputs (table, JUnit, GitHub) and the
 * report, which shows the outcomes a run stored: FAIL fails the gate; WARN is a failed warn-level
 * check (or a regression with nothing to compare); pass is a check that held.
 */
export type GateStatus = 'FAIL' | 'WARN' | 'pass';

export const gateStatus = (o: GateOutcome): GateStatus => (o.passed ? 'pass' : o.level === 'error' ? 'FAIL' : 'WARN');

const ORDER: Record<GateStatus, number> = { FAIL: 0, WARN: 1, pass: 2 };

/** Failures first, then warnings, then passes; the order within each kept. */
export const failuresFirst = (outcomes: GateOutcome[]): GateOutcome[] =>
  [...outcomes].sort((a, b) => ORDER[gateStatus(a)] - ORDER[gateStatus(b)]);

/** How many outcomes have each status. */
export function gateCounts(outcomes: GateOutcome[]): Record<GateStatus, number> {
  const counts: Record<GateStatus, number> = { FAIL: 0, WARN: 0, pass: 0 };
  for (const o of outcomes) counts[gateStatus(o)]++;
  return counts;
}

/** Four significant digits: enough to see why 0.01004 fails a max of 0.01, short enough to read. */
export const formatNumber = (v: number): string => String(Number(v.toPrecision(4)));

/** A change, with its sign always shown. */
export const formatChange = (v: number): string => (v >= 0 ? `+${formatNumber(v)}` : formatNumber(v));

const DASH = '\u2014';

/** The checked number; a change from the baseline shows its sign. */
export function foundText(o: GateOutcome): string {
  if (o.found === null) return DASH;
  return o.option === 'maxIncrease' || o.option === 'maxDecrease' ? formatChange(o.found) : formatNumber(o.found);
}

/** `<= 0.01`, `>= 0.8`. */
export const expectedText = (o: GateOutcome): string => `${o.operator} ${o.expected === null ? DASH : formatNumber(o.expected)}`;

/** `2 failed, 1 warning, 10 passed`. */
export function tally(outcomes: GateOutcome[]): string {
  const n = gateCounts(outcomes);
  return `${n.FAIL} failed, ${n.WARN} warning${n.WARN === 1 ? '' : 's'}, ${n.pass} passed`;
}
