import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advantage, auc, downsampleRoc, resolvesFpr, roc, tprAtFpr } from '../../core/metrics.js';
import { Rng } from '../../core/rng.js';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

/** Mann-Whitney U / (P*N) by brute force over all (member, non-member) pairs. */
function mannWhitney(scores: number[], labels: boolean[]): number {
  let u = 0;
  let p = 0;
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i]) p++;
    else n++;
    if (!labels[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j]) continue;
      if (scores[i] > scores[j]) u += 1;
      else if (scores[i] === scores[j]) u += 0.5;
    }
  }
  return u / (p * n);
}

test('AUC: perfect separation is 1, reversed is 0', () => {
  assert.equal(auc(roc([4, 3, 2, 1], [1, 1, 0, 0])), 1);
  assert.equal(auc(roc([1, 2, 3, 4], [1, 1, 0, 0])), 0);
});

test('AUC: ties count one half', () => {
  assert.equal(auc(roc([1, 1], [1, 0])), 0.5);
  assert.equal(auc(roc([2, 2, 2, 2], [true, false, true, false])), 0.5);
});

test('AUC: 3+3 hand-computed Mann-Whitney example', () => {
  // members 0.9, 0.5, 0.3; non-members 0.6, 0.3, 0.1
  // 0.9 beats all 3 -> 3; 0.5 beats 0.3, 0.1 -> 2; 0.3 ties 0.3, beats 0.1 -> 1.5. U = 6.5 of 9.
  const r = roc([0.9, 0.5, 0.3, 0.6, 0.3, 0.1], [1, 1, 1, 0, 0, 0]);
  close(auc(r), 6.5 / 9);
  assert.equal(r.positives, 3);
  assert.equal(r.negatives, 3);
});

test('TPR at FPR: constraint is <=', () => {
  // ROC: (0,0) (0,.5) (.5,.5) (.5,1) (1,1)
  const r = roc([4, 3, 2, 1], [1, 0, 1, 0]);
  assert.equal(tprAtFpr(r, 0), 0.5);
  assert.equal(tprAtFpr(r, 0.49), 0.5);
  assert.equal(tprAtFpr(r, 0.5), 1);
  assert.equal(tprAtFpr(r, 1), 1);
});

test('TPR at FPR: tied scores move across the threshold together', () => {
  const r = roc([5, 5, 1, 1], [1, 0, 1, 0]);
  assert.deepEqual(
    r.points.map((p) => [p.fpr, p.tpr, p.threshold]),
    [
      [0, 0, Infinity],
      [0.5, 0.5, 5],
      [1, 1, 1],
    ],
  );
  // The member at score 5 cannot be taken without its tied non-member.
  assert.equal(tprAtFpr(r, 0), 0);
  assert.equal(tprAtFpr(r, 0.4), 0);
  assert.equal(tprAtFpr(r, 0.5), 0.5);
});

test('resolvesFpr: needs at least 1/FPR non-members', () => {
  const make = (neg: number) => roc(new Array(neg + 1).fill(0).map((_, i) => i), [1, ...new Array(neg).fill(0)]);
  assert.equal(resolvesFpr(make(1000), 1e-3), true);
  assert.equal(resolvesFpr(make(999), 1e-3), false);
  assert.equal(resolvesFpr(make(100), 1e-2), true);
  assert.equal(resolvesFpr(make(99), 1e-2), false);
});

test('advantage: max TPR - FPR', () => {
  assert.equal(advantage(roc([4, 3, 2, 1], [1, 0, 1, 0])), 0.5);
  assert.equal(advantage(roc([4, 3, 2, 1], [1, 1, 0, 0])), 1);
  assert.equal(advantage(roc([1, 2, 3, 4], [1, 1, 0, 0])), 0);
  assert.equal(advantage(roc([1, 1], [1, 0])), 0);
});

test('roc throws on NaN, one-class input and length mismatch', () => {
  assert.throws(() => roc([1, NaN, 2], [1, 0, 1]), RangeError);
  assert.throws(() => roc([1, 2], [1, 1]), RangeError);
  assert.throws(() => roc([1, 2], [0, 0]), RangeError);
  assert.throws(() => roc([1, 2], [0]), RangeError);
});

function bigRoc(n: number, seed: string) {
  const rng = Rng.fromSeed(seed);
  const scores = Array.from({ length: n }, () => rng.normal());
  const labels = scores.map((s) => rng.uniform() < 1 / (1 + Math.exp(-s)));
  return roc(scores, labels);
}

test('downsampleRoc keeps both ends, at most max points, monotone in fpr', () => {
  const r = bigRoc(5000, 'down');
  assert.ok(r.points.length > 1000);
  for (const max of [200, 100, 50, 10, 4, 2]) {
    const d = downsampleRoc(r.points, max);
    assert.ok(d.length <= max, `max ${max}: got ${d.length}`);
    assert.equal(d[0], r.points[0]);
    assert.equal(d[d.length - 1], r.points[r.points.length - 1]);
    for (let i = 1; i < d.length; i++) {
      assert.ok(d[i].fpr >= d[i - 1].fpr, 'fpr not monotone');
      assert.ok(d[i].tpr >= d[i - 1].tpr, 'tpr not monotone');
    }
  }
  const d = downsampleRoc(r.points);
  assert.ok(d.length <= 200 && d.length >= 150, `default: ${d.length}`);
  // Short curves come back unchanged.
  const small = roc([3, 2, 1], [1, 0, 1]).points;
  assert.deepEqual(downsampleRoc(small, 200), small);
});

test('downsampleRoc respects an odd max', () => {
  const r = bigRoc(5000, 'odd');
  for (const max of [5, 51, 199]) {
    const d = downsampleRoc(r.points, max);
    assert.ok(d.length <= max, `max ${max}: got ${d.length}`);
  }
});

test('property: AUC equals brute-force Mann-Whitney U / (P*N) on 50 random vectors', () => {
  const rng = Rng.fromSeed('metrics-property');
  for (let t = 0; t < 50; t++) {
    const n = 2 + rng.int(60);
    const ties = rng.uniform() < 0.5;
    const scores = Array.from({ length: n }, () => (ties ? rng.int(5) : rng.normal()));
    const labels = Array.from({ length: n }, () => rng.uniform() < 0.4);
    labels[0] = true;
    labels[1] = false;
    close(auc(roc(scores, labels)), mannWhitney(scores, labels), 1e-9);
  }
});
