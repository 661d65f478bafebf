import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/rng.js';

const draw = (r: Rng, n: number) => Array.from({ length: n }, () => r.uint32());

test('same seed gives the same stream; different seeds differ', () => {
  assert.deepEqual(draw(Rng.fromSeed(7), 100), draw(Rng.fromSeed(7), 100));
  assert.deepEqual(Rng.fromSeed('a').bytes(1000), Rng.fromSeed('a').bytes(1000));
  assert.notDeepEqual(draw(Rng.fromSeed(7), 100), draw(Rng.fromSeed(8), 100));
  assert.notDeepEqual(draw(Rng.fromSeed('7'), 10), draw(Rng.fromSeed('x'), 10));
});

test('mixed bytes/uint32 calls are consistent across a block boundary', () => {
  const a = Rng.fromSeed(1);
  const b = Rng.fromSeed(1);
  const whole = a.bytes(70000 * 4 + 3);
  b.bytes(3);
  const words = draw(b, 70000);
  const fromWhole = Array.from({ length: 70000 }, (_, i) => whole.readUInt32LE(3 + 4 * i));
  assert.deepEqual(words, fromWhole);
});

test('fork is deterministic, independent of the parent position, and differs by label', () => {
  const p1 = Rng.fromSeed('parent');
  const p2 = Rng.fromSeed('parent');
  p2.bytes(12345);
  p2.normal();
  assert.deepEqual(draw(p1.fork('x'), 50), draw(p2.fork('x'), 50));
  assert.notDeepEqual(draw(p1.fork('x'), 50), draw(p1.fork('y'), 50));
  // The child stream is not the parent stream.
  assert.notDeepEqual(draw(Rng.fromSeed('parent').fork('x'), 50), draw(Rng.fromSeed('parent'), 50));
  // Drawing from a child does not advance the parent.
  const q1 = Rng.fromSeed('q');
  const q2 = Rng.fromSeed('q');
  draw(q1.fork('c'), 100);
  assert.deepEqual(draw(q1, 20), draw(q2, 20));
});

test('uniform is in [0,1) with mean ~0.5', () => {
  const r = Rng.fromSeed('uniform');
  let sum = 0;
  const N = 1e5;
  for (let i = 0; i < N; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
  }
  assert.ok(Math.abs(sum / N - 0.5) < 0.01, `mean ${sum / N}`);
});

test('normal has mean ~0 and variance ~1', () => {
  const r = Rng.fromSeed('normal');
  const N = 1e5;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const v = r.normal();
    assert.ok(Number.isFinite(v));
    s += v;
    s2 += v * v;
  }
  const mean = s / N;
  const variance = s2 / N - mean * mean;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
});

test('fillNormal scales by std', () => {
  const out = Rng.fromSeed('fill').fillNormal(new Float32Array(20000), 3);
  let s2 = 0;
  for (const v of out) s2 += v * v;
  assert.ok(Math.abs(Math.sqrt(s2 / out.length) - 3) < 0.1);
});

test('int(n) is in range and roughly uniform (chi-square)', () => {
  const r = Rng.fromSeed('int');
  for (const n of [1, 2, 3, 7, 1000, 2 ** 32]) {
    for (let i = 0; i < 200; i++) {
      const v = r.int(n);
      assert.ok(Number.isInteger(v) && v >= 0 && v < n, `int(${n}) = ${v}`);
    }
  }
  const k = 10;
  const N = 1e5;
  const counts = new Array(k).fill(0);
  for (let i = 0; i < N; i++) counts[r.int(k)]++;
  const expected = N / k;
  const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
  // 9 degrees of freedom: p(chi2 > 40) is about 1e-5.
  assert.ok(chi2 < 40, `chi2 ${chi2}`);
  assert.throws(() => r.int(0), RangeError);
  assert.throws(() => r.int(2 ** 32 + 1), RangeError);
  assert.throws(() => r.int(NaN), RangeError);
});

test('permutation is a permutation', () => {
  const r = Rng.fromSeed('perm');
  for (const n of [0, 1, 2, 10, 1000]) {
    const p = r.permutation(n);
    assert.equal(p.length, n);
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  const a = Rng.fromSeed('perm2').permutation(100);
  const b = Rng.fromSeed('perm2').permutation(100);
  assert.deepEqual(a, b);
  assert.notDeepEqual([...a], Array.from({ length: 100 }, (_, i) => i));
});

test('secure() streams differ', () => {
  assert.notDeepEqual(Rng.secure().bytes(32), Rng.secure().bytes(32));
});

test('fillNormal is a standard normal: Kolmogorov-Smirnov against the exact CDF, and its tails', async () => {
  const { normalCdf } = await import('../../core/special-functions.js');
  const n = 200000;
  const v = Rng.fromSeed('ks').fillNormal(new Float32Array(n)).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const c = normalCdf(v[i]);
    d = Math.max(d, (i + 1) / n - c, c - i / n);
  }
  // The KS statistic's 1% critical value is 1.63 / sqrt(n).
  assert.ok(d < 1.63 / Math.sqrt(n), `KS distance ${d}`);
  // Tails beyond 3 and 3.44 (where the ziggurat switches to its exact tail method) at their rates.
  const beyond = (t: number) => v.filter((x) => Math.abs(x) > t).length / n;
  assert.ok(Math.abs(beyond(3) - 0.0026998) < 0.0006, `P(|z| > 3) = ${beyond(3)}`);
  assert.ok(Math.abs(beyond(3.442619855899) - 0.000576) < 0.0002, `P(|z| > R) = ${beyond(3.442619855899)}`);
});
