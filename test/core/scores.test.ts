import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentResult } from '../../core/results.js';
import {
  baselineOf,
  band,
  COST_POINTS,
  costScore,
  logNormalScore,
  PRIVACY_SIGNALS,
  privacyScore,
  scoreValue,
  UTILITY_POINTS,
  utilityScore,
  withScores,
} from '../../core/scores.js';
import { makeResults } from '../fixtures/results.js';

const score = (x: number, points: { good: number; median: number }) => scoreValue(logNormalScore(x, points));

/** One experiment whose every attack reports `tpr` at 0.1% FPR and nothing else. */
function leaking(tpr: number): ExperimentResult {
  const e = structuredClone(makeResults().experiments[0]);
  for (const a of e.attacks) a.metrics = { 'tprAt1e-3': { value: tpr } };
  return e;
}

test('Lighthouse log-normal: 90 at the good point, 50 at the median, 100 at zero', () => {
  for (const points of [...PRIVACY_SIGNALS, UTILITY_POINTS, COST_POINTS]) {
    assert.equal(score(points.good, points), 90);
    assert.equal(score(points.median, points), 50);
    assert.equal(score(0, points), 100);
    assert.equal(score(-1, points), 100, 'a gain (negative loss or overhead) is no cost');
    assert.ok(score(points.good * 1.0001, points) <= 89, 'just past the good point is no longer good');
    assert.ok(score(points.median * 1.0001, points) <= 49);
  }
  // sigma = ln(10) / 1.2816: chance (0.1%) sits 2.996 / 1.797 = 1.667 sigma below the median.
  assert.equal(score(0.001, PRIVACY_SIGNALS[0]), 95);
  assert.equal(score(0.2, PRIVACY_SIGNALS[0]), 10);
  assert.throws(() => logNormalScore(1, { good: 2, median: 1 }), RangeError);
});

test('bands: >= 90 good, >= 50 average, else poor, null n/a', () => {
  assert.deepEqual([100, 90, 89, 50, 49, 0, null].map(band), ['good', 'good', 'average', 'average', 'poor', 'poor', 'n/a']);
});

test('more leakage never raises the privacy score', () => {
  let last = Infinity;
  for (let tpr = 0; tpr <= 1; tpr += 0.0005) {
    const v = privacyScore(leaking(tpr)).value!;
    assert.ok(v <= last, `TPR ${tpr}: ${v} after ${last}`);
    last = v;
  }
  assert.ok(last <= 1, `everything found scores ${last}`);
});

test('privacy is the worst signal of the worst attack, with its inputs', () => {
  const e = makeResults().experiments[0];
  const s = privacyScore(e);
  const worstTpr = Math.max(...e.attacks.map((a) => a.metrics['tprAt1e-3'].value));
  assert.equal(s.inputs['tprAt1e-3'], worstTpr);
  assert.equal(s.inputs['tprAt1e-3 attack'], 'lira');
  assert.equal(s.value, Math.min(score(worstTpr, PRIVACY_SIGNALS[0]), score(Number(s.inputs['tprAt1e-2']), PRIVACY_SIGNALS[1])));
  assert.match(s.formula, /^min\(L\(tprAt1e-3; 0\.002, 0\.02\), L\(tprAt1e-2; 0\.02, 0\.2\)\)/);
  // An epsilon bound joins the minimum once an attack reports one.
  e.attacks[0].metrics.epsilonLowerBound = { value: 8 };
  assert.equal(privacyScore(e).value, Math.min(s.value!, score(8, PRIVACY_SIGNALS[2])));
});

test('a score whose inputs are missing is n/a, never a number', () => {
  const e = structuredClone(makeResults().experiments[0]);
  for (const a of e.attacks) a.metrics = { auc: { value: 0.9 } };
  const p = privacyScore(e);
  assert.deepEqual([p.value, p.band], [null, 'n/a'], 'AUC alone does not score privacy');
  const c = costScore(e, e);
  assert.deepEqual([c.value, c.band], [null, 'n/a'], 'an experiment is no cost to itself');
  const base = structuredClone(e);
  base.id = 'other';
  base.utility.testAccuracy = 0;
  base.costs.trainingSeconds = 0;
  assert.equal(utilityScore(e, base).value, null);
  assert.equal(costScore(e, base).value, null);
});

test('utility and cost against the baseline: relative accuracy loss and extra training time', () => {
  const [plain, dp] = makeResults().experiments;
  const u = utilityScore(dp, plain);
  assert.equal(u.inputs.relativeLoss, 1 - dp.utility.testAccuracy / plain.utility.testAccuracy);
  assert.equal(u.value, score(Number(u.inputs.relativeLoss), UTILITY_POINTS));
  assert.equal(utilityScore(plain, plain).value, 100, 'no loss against itself');
  const c = costScore(dp, plain);
  assert.equal(c.inputs.ratio, dp.costs.trainingSeconds / plain.costs.trainingSeconds);
  assert.equal(c.value, score(Number(c.inputs.ratio) - 1, COST_POINTS));
  const slower = structuredClone(dp);
  slower.costs.trainingSeconds *= 2;
  assert.ok(costScore(slower, plain).value! < c.value!, 'more time never scores better');
});

test('baseline: the plain variant of the same matrix, else the most accurate on the same data', () => {
  const r = makeResults();
  const [plain, dp] = r.experiments;
  assert.equal(baselineOf(dp, r.experiments).id, plain.id, 'no plain DP-SGD variant: the most accurate on the same data');
  const variant = (wd: number, acc: number): ExperimentResult => {
    const e = structuredClone(plain);
    e.id = `mlp-${wd}`;
    e.name = `mlp (weightDecay=${wd})`;
    e.variant = { 'training.weightDecay': wd };
    e.configuration.training = { ...e.configuration.training, weightDecay: wd };
    e.utility.testAccuracy = acc;
    return e;
  };
  const family = [variant(0.1, 0.8), variant(0, 0.7), variant(0.01, 0.75)];
  for (const e of family) assert.equal(baselineOf(e, family).id, 'mlp-0', e.id);
  const otherData = structuredClone(plain);
  otherData.configuration.dataset = { id: 'mnist' };
  assert.equal(baselineOf(otherData, [...r.experiments, otherData]), otherData, 'other data: only itself');
});

test('withScores scores every experiment; the fixture carries them', () => {
  const r = makeResults();
  const again = withScores(r.experiments);
  assert.deepEqual(again.map((e) => e.scores), r.experiments.map((e) => e.scores));
  const [plain, dp] = r.experiments;
  assert.equal(plain.scores?.cost.band, 'n/a');
  assert.equal(dp.scores?.utility.inputs.baseline, plain.id);
  assert.ok(dp.scores!.privacy.value! > plain.scores!.privacy.value!, 'DP-SGD leaks less');
});
