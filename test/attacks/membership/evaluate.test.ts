import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMembership, metricKey } from '../../../attacks/membership/evaluate.js';
import { clopperPearson } from '../../../core/empirical-epsilon.js';
import { Rng } from '../../../core/rng.js';

function sample(members: number, nonMembers: number, shift: number, seed: string) {
  const rng = Rng.fromSeed(seed);
  const scores: number[] = [];
  const isMember: boolean[] = [];
  for (let i = 0; i < members; i++) {
    scores.push(rng.normal() + shift);
    isMember.push(true);
  }
  for (let i = 0; i < nonMembers; i++) {
    scores.push(rng.normal());
    isMember.push(false);
  }
  return { scores, isMember };
}

const evalSample = (m: number, n: number, shift: number, seed: string) => {
  const s = sample(m, n, shift, seed);
  return evaluateMembership(s.scores, { isMember: s.isMember });
};

test('metricKey', () => {
  assert.equal(metricKey(1e-3), 'tprAt1e-3');
  assert.equal(metricKey(1e-2), 'tprAt1e-2');
  assert.equal(metricKey(1e-4), 'tprAt1e-4');
});

test('metric keys, ranges, and intervals that contain their value', () => {
  const e = evalSample(50, 50, 1, 'keys');
  assert.deepEqual(Object.keys(e.metrics).sort(), [
    'advantage',
    'auc',
    'balancedAccuracy',
    'epsilonLowerBound',
    'tprAt0',
    'tprAt1e-2',
    'tprAt1e-3',
    'tprAt1e-4',
  ]);
  assert.equal(e.members, 50);
  assert.equal(e.nonMembers, 50);
  assert.ok(Math.abs(e.metrics.balancedAccuracy.value - (1 + e.metrics.advantage.value) / 2) < 1e-12);
  for (const [k, m] of Object.entries(e.metrics)) {
    if (k !== 'epsilonLowerBound') assert.ok(m.value >= 0 && m.value <= 1, k);
    if (m.low !== undefined) assert.ok(m.low <= m.value && m.value <= m.high!, `${k}: ${m.low} <= ${m.value} <= ${m.high}`);
  }
});

test('TPR intervals are the Clopper-Pearson interval of the members found', () => {
  const e = evalSample(2000, 2000, 2, 'cp');
  const m = e.metrics['tprAt1e-2'];
  const [lo, hi] = clopperPearson(Math.round(m.value * 2000), 2000, 0.05);
  assert.ok(Math.abs(m.low! - lo) < 1e-12 && Math.abs(m.high! - hi) < 1e-12);
});

test('resolution-limited note when fewer than 1/FPR non-members', () => {
  const few = evalSample(200, 999, 1, 'few');
  assert.match(few.metrics['tprAt1e-3'].note ?? '', /resolution-limited/);
  assert.match(few.metrics['tprAt1e-3'].note ?? '', /999 non-members/);
  assert.equal(few.metrics['tprAt1e-2'].note, undefined);
  assert.match(few.finding, /Too few non-members/);
  const enough = evalSample(200, 1000, 1, 'enough');
  assert.equal(enough.metrics['tprAt1e-3'].note, undefined);
  assert.doesNotMatch(enough.finding, /Too few/);
  assert.match(evalSample(20, 50, 1, 'tiny').metrics['tprAt1e-2'].note ?? '', /resolution-limited/);
});

test('finding mentions the TPR percentages, its interval and the AUC', () => {
  const e = evalSample(500, 2000, 2, 'finding');
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  assert.ok(e.finding.includes(pct(e.metrics['tprAt1e-3'].value)), e.finding);
  assert.ok(e.finding.includes(`95% CI ${pct(e.metrics['tprAt1e-3'].low!)}`), e.finding);
  assert.ok(e.finding.includes(pct(e.metrics['tprAt1e-2'].value)), e.finding);
  assert.ok(e.finding.includes(e.metrics.auc.value.toFixed(3)), e.finding);
});

test('perfect scores: auc 1, full TPR at every FPR, a large empirical epsilon', () => {
  const n = 1000;
  const scores = [...Array.from({ length: n }, (_, i) => 10 + i), ...Array.from({ length: n }, (_, i) => -i)];
  const isMember = [...new Array(n).fill(true), ...new Array(n).fill(false)];
  const e = evaluateMembership(scores, { isMember });
  assert.equal(e.metrics.auc.value, 1);
  assert.equal(e.metrics.advantage.value, 1);
  assert.equal(e.metrics.tprAt0.value, 1);
  assert.equal(e.metrics['tprAt1e-3'].value, 1);
  // ln((TPR_low - delta) / FPR_high), Bonferroni over 10 thresholds: CP bounds at alpha 0.005.
  const expected = Math.log((0.0025 ** (1 / n) - 1e-5) / (1 - 0.0025 ** (1 / n)));
  assert.ok(Math.abs(e.metrics.epsilonLowerBound.value - expected) < 1e-6, `${e.metrics.epsilonLowerBound.value} vs ${expected}`);
  assert.match(e.finding, /100\.0% of training members/);
  assert.ok(e.roc.length <= 200);
  assert.deepEqual(e.roc[0], { fpr: 0, tpr: 0 });
  assert.deepEqual(e.roc[e.roc.length - 1], { fpr: 1, tpr: 1 });
});

test('chance-level scores give an epsilon bound of 0', () => {
  const e = evalSample(1000, 1000, 0, 'chance');
  assert.equal(e.metrics.epsilonLowerBound.value, 0);
});

test('population-calibrated operating point: FPR near its target, never chosen on the members', () => {
  const s = sample(2000, 2000, 1.5, 'cal');
  const pop = sample(0, 5000, 0, 'cal-pop').scores;
  const e = evaluateMembership(s.scores, { isMember: s.isMember }, pop);
  const fpr = e.metrics['calibratedFprAt1e-2'];
  assert.ok(fpr.value < 0.025 && fpr.value > 0.002, `realised FPR ${fpr.value}`);
  assert.ok(fpr.low! <= fpr.value && fpr.value <= fpr.high!);
  const tpr = e.metrics['calibratedTprAt1e-2'].value;
  assert.ok(tpr > 0.1 && tpr < 0.5, `a 1.5-sigma shift finds some members at 1% FPR: ${tpr}`);
  assert.match(e.metrics['calibratedTprAt1e-2'].note ?? '', /5000 population records/);
});

test('slices and most vulnerable records: ids and labels only', () => {
  const s = sample(400, 400, 1, 'slices');
  const labels = s.scores.map((_, i) => i % 4);
  // Class 3 leaks a lot more: its members score far higher.
  const scores = s.scores.map((v, i) => (labels[i] === 3 && s.isMember[i] ? v + 5 : v));
  const correct = s.isMember.map((_, i) => i % 3 !== 0);
  const e = evaluateMembership(scores, { isMember: s.isMember, labels, classNames: ['a', 'b', 'c', 'd'], ids: scores.map((_, i) => 1000 + i), correct });
  const classes = e.slices.filter((x) => x.slice.startsWith('class'));
  assert.equal(classes[0].slice, 'class d');
  assert.ok(classes[0].auc > 0.95);
  assert.ok(e.slices.some((x) => x.slice === 'correctly classified') && e.slices.some((x) => x.slice === 'misclassified'));
  assert.equal(e.vulnerable.length, 10);
  for (const v of e.vulnerable) {
    assert.deepEqual(Object.keys(v).sort(), ['id', 'label', 'member', 'score']);
    assert.equal(v.label, 'd');
    assert.ok(v.id >= 1000 && v.member);
  }
});
