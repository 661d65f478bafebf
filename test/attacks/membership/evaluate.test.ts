import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMembership, metricKey } from '../../../attacks/membership/evaluate.js';
import { Rng } from '../../../core/rng.js';

function sample(members: number, nonMembers: number, shift: number, seed: string) {
  const rng = Rng.fromSeed(seed);
  const scores: number[] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < members; i++) {
    scores.push(rng.normal() + shift);
    labels.push(true);
  }
  for (let i = 0; i < nonMembers; i++) {
    scores.push(rng.normal());
    labels.push(false);
  }
  return { scores, labels };
}

test('metricKey', () => {
  assert.equal(metricKey(1e-3), 'tprAt1e-3');
  assert.equal(metricKey(1e-2), 'tprAt1e-2');
});

test('metric keys are exactly auc, advantage, balancedAccuracy, tprAt1e-3, tprAt1e-2', () => {
  const { scores, labels } = sample(50, 50, 1, 'keys');
  const e = evaluateMembership(scores, labels);
  assert.deepEqual(Object.keys(e.metrics).sort(), ['advantage', 'auc', 'balancedAccuracy', 'tprAt1e-2', 'tprAt1e-3']);
  assert.equal(e.members, 50);
  assert.equal(e.nonMembers, 50);
  assert.ok(Math.abs(e.metrics.balancedAccuracy.value - (1 + e.metrics.advantage.value) / 2) < 1e-12);
  for (const m of Object.values(e.metrics)) assert.ok(m.value >= 0 && m.value <= 1);
});

test('resolution-limited note when fewer than 1000 non-members', () => {
  const few = evaluateMembership(...Object.values(sample(200, 999, 1, 'few')) as [number[], boolean[]]);
  assert.match(few.metrics['tprAt1e-3'].note ?? '', /resolution-limited/);
  assert.match(few.metrics['tprAt1e-3'].note ?? '', /999 non-members/);
  assert.equal(few.metrics['tprAt1e-2'].note, undefined);
  assert.match(few.finding, /Too few non-members/);

  const enough = evaluateMembership(...Object.values(sample(200, 1000, 1, 'enough')) as [number[], boolean[]]);
  assert.equal(enough.metrics['tprAt1e-3'].note, undefined);
  assert.equal(enough.metrics['tprAt1e-2'].note, undefined);
  assert.doesNotMatch(enough.finding, /Too few/);

  const tiny = evaluateMembership(...Object.values(sample(20, 50, 1, 'tiny')) as [number[], boolean[]]);
  assert.match(tiny.metrics['tprAt1e-2'].note ?? '', /resolution-limited/);
});

test('finding mentions the TPR percentages and the AUC', () => {
  const { scores, labels } = sample(500, 2000, 2, 'finding');
  const e = evaluateMembership(scores, labels);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  assert.ok(e.finding.includes(pct(e.metrics['tprAt1e-3'].value)), e.finding);
  assert.ok(e.finding.includes(pct(e.metrics['tprAt1e-2'].value)), e.finding);
  assert.ok(e.finding.includes(e.metrics.auc.value.toFixed(3)), e.finding);
  assert.match(e.finding, /0\.1% false positives/);
});

test('perfect scores give auc 1 and full TPR at every FPR', () => {
  const n = 1000;
  const scores = [...Array.from({ length: n }, (_, i) => 10 + i), ...Array.from({ length: n }, (_, i) => -i)];
  const labels = [...new Array(n).fill(true), ...new Array(n).fill(false)];
  const e = evaluateMembership(scores, labels);
  assert.equal(e.metrics.auc.value, 1);
  assert.equal(e.metrics.advantage.value, 1);
  assert.equal(e.metrics.balancedAccuracy.value, 1);
  assert.equal(e.metrics['tprAt1e-3'].value, 1);
  assert.equal(e.metrics['tprAt1e-2'].value, 1);
  assert.match(e.finding, /100\.0% of training members/);
  assert.ok(e.roc.length <= 200);
  assert.deepEqual(e.roc[0], { fpr: 0, tpr: 0 });
  assert.deepEqual(e.roc[e.roc.length - 1], { fpr: 1, tpr: 1 });
});
