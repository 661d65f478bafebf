import { InputError } from '../../core/errors.js';
import { formatChange, formatNumber } from '../../core/gate-status.js';
import type { GateOutcome, Results } from '../../core/results.js';
import { assertionField, type Assertion, type AssertionSet, type OptionName } from './assertions.js';
import { knownMetricIds } from './metrics.js';
import { experimentRuns, meanOver, seedsWith, type ExperimentRuns } from './runs.js';
import { suggestion } from './suggest.js';

// The outcome is part of results.json (a run stores its suite's gates), so its schema lives in core.
export type { GateOutcome };

/** `*` matches any run of characters (dots too); everything else is literal. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

// An exact key beats any pattern; of two patterns, the one with more literal characters wins.
// So `"membership.lira.auc": "off"` (or other options) overrides `membership.*.auc` for LiRA only.
const specificity = (key: string): number => (key.includes('*') ? key.replace(/\*/g, '').length : Infinity);

/**
 * Checks every assertion on every experiment in scope, over seed means. Regression options
 * (maxIncrease, maxDecrease) compare with the baseline's experiment of the same id, over the
 * seeds both runs contain. Problems with the inputs (a metric no experiment has, a baseline of
 * another suite) are InputErrors; failed checks are outcomes with `passed: false`.
 */
export function evaluateGates(results: Results, set: AssertionSet, baseline?: Results): GateOutcome[] {
  if (baseline && baseline.suite.name !== results.suite.name) {
    throw new InputError(
      `the baseline is a run of suite '${baseline.suite.name}' and the results of suite '${results.suite.name}'; compare runs of one suite`,
      { field: 'suite.name' },
    );
  }
  const experiments = inScope(experimentRuns(results, 'the results'), set);
  const ids = new Set(experiments.map((r) => r.id));
  const known = knownMetricIds({ experiments: results.experiments.filter((e) => ids.has(e.id)) });
  checkAssertions(set, known, baseline !== undefined);
  const before = new Map(baseline ? experimentRuns(baseline, 'the baseline').map((r) => [r.id, r]) : []);
  const matchers = set.assertions.map((a) => ({ a, re: wildcard(a.key) }));
  const outcomes: GateOutcome[] = [];
  for (const runs of experiments) {
    const metrics = metricIds(runs);
    for (const { a, re } of matchers) {
      for (const metric of metrics) {
        if (!re.test(metric) || !governs(a, metric, matchers)) continue;
        for (const option of Object.keys(a.options) as OptionName[]) outcomes.push(check(a, option, runs, metric, before.get(runs.id)));
      }
    }
  }
  return outcomes;
}

/** The outcomes that fail the gate (exit 1): failed checks at level error. */
export const gateFailures = (outcomes: GateOutcome[]): GateOutcome[] => outcomes.filter((o) => !o.passed && o.level === 'error');

function metricIds(runs: ExperimentRuns): string[] {
  return [...new Set([...runs.bySeed.values()].flatMap((m) => Object.keys(m)))].sort();
}

/** Whether `a` is among the most specific assertions matching `metric`. */
function governs(a: Assertion, metric: string, matchers: { a: Assertion; re: RegExp }[]): boolean {
  const best = Math.max(...matchers.filter((m) => m.re.test(metric)).map((m) => specificity(m.a.key)));
  return specificity(a.key) === best;
}

/** The experiments the set's `experiments` filter names (by id or name), in results order. */
function inScope(all: ExperimentRuns[], set: AssertionSet): ExperimentRuns[] {
  if (!set.experiments) return all;
  const patterns = set.experiments.map((p) => ({ p, re: wildcard(p) }));
  for (const { p, re } of patterns) {
    if (!all.some((r) => re.test(r.id) || re.test(r.name))) {
      const names = [...new Set(all.flatMap((r) => [r.id, r.name]))];
      throw new InputError(`'${p}' matches no experiment; ${suggestion(p, names)}`, { file: set.source, field: 'experiments' });
    }
  }
  return all.filter((r) => patterns.some(({ re }) => re.test(r.id) || re.test(r.name)));
}

/** Refuses assertions that cannot mean anything for these results, before any is checked. */
function checkAssertions(set: AssertionSet, known: string[], hasBaseline: boolean): void {
  for (const a of set.assertions) {
    const where = { file: a.source, field: assertionField(a.written) };
    const re = wildcard(a.key);
    // A preset covers every kind of suite, so its entries may match nothing; the user's may not.
    if (!known.some((id) => re.test(id))) {
      if (a.fromPreset) continue;
      const what = a.key.includes('*') ? `'${a.key}' matches no metric of any experiment` : `no experiment has metric '${a.key}'`;
      throw new InputError(`${what}; ${suggestion(a.key, known)}`, where);
    }
    const other = a.options.maxMetric;
    if (other !== undefined && !known.includes(other)) {
      throw new InputError(`maxMetric: no experiment has metric '${other}'; ${suggestion(other, known)}`, where);
    }
    if (!hasBaseline && (a.options.maxIncrease !== undefined || a.options.maxDecrease !== undefined)) {
      throw new InputError('maxIncrease and maxDecrease compare with a baseline results.json; give one (gate --baseline)', where);
    }
  }
}

// Room for floating-point noise, so 0.1 + 0.2 <= 0.3 holds as a person reads it.
const holds = (found: number, op: '<=' | '>=', expected: number): boolean => {
  const slack = 1e-12 * Math.max(1, Math.abs(expected));
  return op === '<=' ? found <= expected + slack : found >= expected - slack;
};

/** What one option compares over which seeds, and how to say it; or why it cannot compare. */
type Measurement =
  | { found: number; expected: number; seeds: number[]; baseline?: number; describe: (passed: boolean) => string }
  | { unresolved: string; seeds: number[]; level?: 'warn' };

function measure(a: Assertion, option: OptionName, runs: ExperimentRuns, metric: string, before?: ExperimentRuns): Measurement {
  const seeds = seedsWith(runs, metric);
  const n = formatNumber;
  switch (option) {
    case 'min':
    case 'max': {
      const limit = a.options[option]!;
      const now = meanOver(runs, metric, seeds);
      const side = option === 'min' ? 'below' : 'above';
      const describe = (ok: boolean) => `${metric} is ${n(now)}, ${ok ? 'within' : side} the ${option} of ${n(limit)}`;
      return { found: now, expected: limit, seeds, describe };
    }
    case 'maxMetric': {
      const other = a.options.maxMetric!;
      const both = seedsWith(runs, other, seeds);
      if (!both.length) return { unresolved: `this experiment has no ${other} to compare with`, seeds };
      const limit = meanOver(runs, other, both);
      const now = meanOver(runs, metric, both);
      const describe = (ok: boolean) => `${metric} is ${n(now)}, ${ok ? 'within' : 'above'} ${other} = ${n(limit)}`;
      return { found: now, expected: limit, seeds: both, describe };
    }
    case 'maxIncrease':
    case 'maxDecrease': {
      // An experiment the baseline lacks (new in this change) cannot regress: say so as a
      // warning, whatever the level, rather than fail the build or pass in silence.
      if (!before) return { unresolved: 'not in the baseline, so there is nothing to compare with', seeds, level: 'warn' };
      const common = seedsWith(before, metric, seeds);
      if (!common.length) {
        return { unresolved: `the baseline has no run with ${metric} for seed(s) ${seeds.join(', ')}`, seeds, level: 'warn' };
      }
      const now = meanOver(runs, metric, common);
      const then = meanOver(before, metric, common);
      const limit = a.options[option]!;
      const verb = option === 'maxIncrease' ? 'increase' : 'decrease';
      return {
        found: option === 'maxIncrease' ? now - then : then - now,
        expected: limit,
        seeds: common,
        baseline: then,
        describe: (ok) =>
          `${metric} went from ${n(then)} in the baseline to ${n(now)} (${formatChange(now - then)}), ` +
          `${ok ? 'within' : 'more than'} the allowed ${verb} of ${n(limit)}`,
      };
    }
  }
}

function check(a: Assertion, option: OptionName, runs: ExperimentRuns, metric: string, before?: ExperimentRuns): GateOutcome {
  const operator: GateOutcome['operator'] = option === 'min' ? '>=' : '<=';
  const head = { experiment: runs.id, experimentName: runs.name, metric, assertion: a.written, source: a.source, option, operator };
  const m = measure(a, option, runs, metric, before);
  if ('unresolved' in m) {
    const message = `${metric}: ${m.unresolved}; ${option} not checked`;
    return { ...head, level: m.level ?? a.level, expected: null, found: null, seeds: m.seeds, passed: false, message };
  }
  const passed = holds(m.found, operator, m.expected);
  const over = m.seeds.length > 1 ? ` (mean of seeds ${m.seeds.join(', ')})` : '';
  return {
    ...head,
    level: a.level,
    expected: m.expected,
    found: m.found,
    ...(m.baseline === undefined ? {} : { baseline: m.baseline }),
    seeds: m.seeds,
    passed,
    message: `${m.describe(passed)}${over}`,
  };
}
