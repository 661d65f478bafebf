import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import type { ExperimentResult, Results } from '../../../core/results.js';
import { parseAssertions, resolveAssertions } from '../../../harness/gate/assertions.js';
import { evaluateGates, gateFailures, type GateOutcome } from '../../../harness/gate/evaluate.js';
import { makeResults } from '../../fixtures/results.js';

function gate(results: Results, assertions: unknown, baseline?: Results): GateOutcome[] {
  return evaluateGates(results, resolveAssertions(parseAssertions(assertions, 'a.json'), 'a.json'), baseline);
}

/** The outcome for one experiment id and metric (there must be exactly one). */
function only(outcomes: GateOutcome[], experiment: string, metric: string): GateOutcome {
  const found = outcomes.filter((o) => o.experiment === experiment && o.metric === metric);
  assert.equal(found.length, 1, `${experiment} ${metric}: ${found.length} outcomes`);
  return found[0];
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.format()));
}

const BASE = 'quick/baseline';
const DP = 'quick/dp-sgd';
// Fixture values: baseline LiRA TPR@0.1% 0.0568, loss 0.0104; DP-SGD LiRA 0.0048; test accuracy 0.712 and 0.641.

test('max: passes at or under the limit, fails over it; the alias form names the same metric', () => {
  const o = gate(makeResults(), { assertions: { 'membership.lira.tprAt0.001': ['error', { max: 0.02 }] } });
  const fail = only(o, BASE, 'membership.lira.tprAt1e-3');
  assert.equal(fail.passed, false);
  assert.deepEqual([fail.found, fail.expected, fail.operator, fail.level, fail.option], [0.0568, 0.02, '<=', 'error', 'max']);
  assert.match(fail.message, /membership\.lira\.tprAt1e-3 is 0\.0568, above the max of 0\.02/);
  assert.equal(only(o, DP, 'membership.lira.tprAt1e-3').passed, true);
  assert.equal(gateFailures(o).length, 1);
  const edge = gate(makeResults(), { assertions: { 'membership.lira.tprAt1e-3': ['error', { max: 0.0568 }] } });
  assert.equal(only(edge, BASE, 'membership.lira.tprAt1e-3').passed, true, 'the limit itself passes');
});

test('min: a warn-level failure is reported but does not fail the gate', () => {
  const o = gate(makeResults(), { assertions: { 'utility.testAccuracy': ['warn', { min: 0.7 }] } });
  assert.equal(only(o, BASE, 'utility.testAccuracy').passed, true);
  const dp = only(o, DP, 'utility.testAccuracy');
  assert.deepEqual([dp.passed, dp.operator, dp.level], [false, '>=', 'warn']);
  assert.match(dp.message, /0\.641, below the min of 0\.7/);
  assert.deepEqual(gateFailures(o), []);
});

test('maxMetric: one metric may not exceed another of the same experiment', () => {
  // The loss attack's AUC against each experiment's LiRA AUC: above it on both fixtures' experiments.
  const o = gate(makeResults(), { assertions: { 'membership.lira.auc': ['error', { maxMetric: 'membership.loss.auc' }] } });
  const base = only(o, BASE, 'membership.lira.auc');
  assert.equal(base.passed, true);
  assert.equal(base.expected, makeResults().experiments[0].attacks[0].metrics.auc.value);
  const o2 = gate(makeResults(), { assertions: { 'membership.loss.auc': ['error', { maxMetric: 'mia.lira.auc' }] } });
  const failed = only(o2, BASE, 'membership.loss.auc');
  assert.equal(failed.passed, false);
  assert.match(failed.message, /above membership\.lira\.auc = 0\.6458/);
  rejects(() => gate(makeResults(), { assertions: { 'membership.loss.auc': ['error', { maxMetric: 'dp.epsilon' }] } }), /maxMetric: no experiment has metric 'dp\.epsilon'/);
});

test('a wildcard checks every matching metric; the most specific key wins', () => {
  const o = gate(makeResults(), {
    assertions: { 'membership.*.auc': ['error', { max: 0.6 }], 'membership.lira.auc': ['warn', { max: 0.7 }] },
  });
  assert.equal(o.length, 4);
  assert.deepEqual(
    o.filter((x) => x.experiment === BASE).map((x) => [x.metric, x.assertion, x.level, x.passed]),
    [
      ['membership.loss.auc', 'membership.*.auc', 'error', false],
      ['membership.lira.auc', 'membership.lira.auc', 'warn', true],
    ],
  );
});

test('experiments limits which experiments are checked, by id, name or pattern', () => {
  const rules = { 'utility.testAccuracy': ['error', { min: 0.7 }] };
  assert.deepEqual(gate(makeResults(), { assertions: rules, experiments: 'quick/base*' }).map((x) => x.experiment), [BASE]);
  assert.deepEqual(gate(makeResults(), { assertions: rules, experiments: ['DP-SGD (\u03b5 = 8)'] }).map((x) => x.experiment), [DP]);
  rejects(() => gate(makeResults(), { assertions: rules, experiments: 'quick/basline' }), /experiments: 'quick\/basline' matches no experiment; did you mean quick\/baseline/);
});

test('a metric no experiment has is bad input, with near names; so is a wildcard matching nothing', () => {
  rejects(
    () => gate(makeResults(), { assertions: { 'membership.lira.tprAt0.01x': ['error', { max: 0.1 }] } }),
    /a\.json assertions\["membership\.lira\.tprAt0\.01x"\]: no experiment has metric 'membership\.lira\.tprAt1e-2x'; did you mean membership\.lira\.tprAt1e-2/,
  );
  rejects(() => gate(makeResults(), { assertions: { 'utility.testAcuracy': ['error', { min: 0.5 }] } }), /did you mean utility\.testAccuracy, utility\.trainAccuracy\?$/);
  rejects(() => gate(makeResults(), { assertions: { 'poisoning.*.asr': ['error', { max: 0.1 }] } }), /'poisoning\.\*\.asr' matches no metric of any experiment; /);
  // A preset's entries may match nothing: one preset serves every suite.
  const noAttacks = makeResults();
  for (const e of noAttacks.experiments) e.attacks = [];
  assert.deepEqual(gate(noAttacks, { extends: 'ppml:recommended' }), []);
});

/** The fixture with one number changed in every experiment with this id. */
function withMetric(r: Results, id: string, attack: string, key: string, value: number): Results {
  for (const e of r.experiments.filter((x) => x.id === id)) e.attacks.find((a) => a.id === attack)!.metrics[key].value = value;
  return r;
}

test('maxIncrease: a regression beyond the tolerance fails, one within it passes', () => {
  const rules = { assertions: { 'membership.*.tprAt0.001': ['error', { maxIncrease: 0.01 }] } };
  const baseline = makeResults();
  const worse = gate(withMetric(makeResults(), BASE, 'lira', 'tprAt1e-3', 0.0768), rules, baseline);
  const o = only(worse, BASE, 'membership.lira.tprAt1e-3');
  assert.equal(o.passed, false);
  assert.equal(o.baseline, 0.0568);
  assert.ok(Math.abs(o.found! - 0.02) < 1e-12);
  assert.match(o.message, /went from 0\.0568 in the baseline to 0\.0768 \(\+0\.02\), more than the allowed increase of 0\.01/);
  assert.equal(gateFailures(worse).length, 1);
  const noise = gate(withMetric(makeResults(), BASE, 'lira', 'tprAt1e-3', 0.0618), rules, baseline);
  assert.deepEqual(gateFailures(noise), []);
  assert.ok(noise.every((x) => x.passed));
});

test('maxDecrease: a drop in accuracy beyond the tolerance fails', () => {
  const rules = { assertions: { 'utility.accuracy': ['error', { maxDecrease: 0.02 }] } };
  const lower = makeResults();
  lower.experiments[1].utility.testAccuracy = 0.6;
  const o = gate(lower, rules, makeResults());
  assert.equal(only(o, BASE, 'utility.testAccuracy').passed, true);
  const dp = only(o, DP, 'utility.testAccuracy');
  assert.equal(dp.passed, false);
  assert.ok(Math.abs(dp.found! - 0.041) < 1e-12);
});

test('regression options need a baseline, of the same suite', () => {
  const rules = { assertions: { 'membership.*.auc': ['error', { maxIncrease: 0.01 }] } };
  rejects(() => gate(makeResults(), rules), /compare with a baseline results\.json/);
  rejects(() => gate(makeResults(), rules, makeResults({ suite: { name: 'standard' } })), /the baseline is a run of suite 'standard' and the results of suite 'quick'/);
});

test('an experiment the baseline lacks cannot regress: a warning, not a failure', () => {
  const baseline = makeResults();
  baseline.experiments = [baseline.experiments[0]];
  const o = gate(makeResults(), { assertions: { 'membership.lira.auc': ['error', { maxIncrease: 0.01 }] } }, baseline);
  const dp = only(o, DP, 'membership.lira.auc');
  assert.deepEqual([dp.passed, dp.level, dp.found, dp.expected], [false, 'warn', null, null]);
  assert.match(dp.message, /not in the baseline/);
  assert.deepEqual(gateFailures(o), []);
});

/** Copies of the fixture's first experiment, one per seed, with the loss attack's AUC set. */
function seeded(aucBySeed: Record<number, number>): Results {
  const r = makeResults();
  const template = r.experiments[0];
  r.experiments = Object.entries(aucBySeed).map(([seed, auc]): ExperimentResult => {
    const e = structuredClone(template);
    e.seed = Number(seed);
    e.attacks[0].metrics.auc.value = auc;
    return e;
  });
  return r;
}

test('multi-seed runs: deltas compare means over the seeds both runs contain', () => {
  // Seed 1 (current) and seed 4 (baseline) are outliers that would fail the gate if they counted.
  const current = seeded({ 1: 0.9, 2: 0.6, 3: 0.62 });
  const baseline = seeded({ 2: 0.6, 3: 0.61, 4: 0.5 });
  const rules = { assertions: { 'membership.loss.auc': ['error', { maxIncrease: 0.01 }] } };
  const o = only(gate(current, rules, baseline), BASE, 'membership.loss.auc');
  assert.deepEqual(o.seeds, [2, 3]);
  assert.ok(Math.abs(o.baseline! - 0.605) < 1e-12);
  assert.ok(Math.abs(o.found! - 0.005) < 1e-12);
  assert.equal(o.passed, true);
  assert.match(o.message, /\(mean of seeds 2, 3\)$/);
  const disjoint = only(gate(current, rules, seeded({ 7: 0.6 })), BASE, 'membership.loss.auc');
  assert.deepEqual([disjoint.passed, disjoint.level], [false, 'warn']);
  assert.match(disjoint.message, /no run with membership\.loss\.auc for seed\(s\) 1, 2, 3/);
});

test('multi-seed runs: absolute options check the mean over all seeds', () => {
  const rules = { assertions: { 'membership.loss.auc': ['error', { max: 0.65 }] } };
  const o = only(gate(seeded({ 1: 0.9, 2: 0.6, 3: 0.6 }), rules), BASE, 'membership.loss.auc');
  assert.deepEqual(o.seeds, [1, 2, 3]);
  assert.ok(Math.abs(o.found! - 0.7) < 1e-12);
  assert.equal(o.passed, false);
  const twice = seeded({ 1: 0.6 });
  twice.experiments.push(...seeded({ 1: 0.7 }).experiments);
  rejects(() => gate(seeded({ 1: 0.6 }), { assertions: {} }, twice), /the baseline holds experiment 'quick\/baseline' twice with seed 1/);
});
