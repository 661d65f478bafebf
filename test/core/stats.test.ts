import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epsilonFromCounts, epsilonFromThresholds } from '../../core/empirical-epsilon.js';
import { binomUpperTail, clopperPearson, logGamma, median, normalCdf, normalLogPdf, quantile, std } from '../../core/stats.js';

const close = (a: number, b: number, rel: number, msg?: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-300), msg ?? `${a} vs ${b}`);

test('logGamma matches factorials and Gamma(1/2)', () => {
  for (let n = 3; n < 30; n++) {
    let f = 1;
    for (let k = 2; k < n; k++) f *= k;
    close(logGamma(n), Math.log(f), 1e-12);
  }
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12);
  assert.ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14);
});

test('binomial upper tail: exact small cases and complementarity', () => {
  close(binomUpperTail(1, 3, 0.5), 7 / 8, 1e-12);
  close(binomUpperTail(3, 3, 0.5), 1 / 8, 1e-12);
  assert.equal(binomUpperTail(0, 10, 0.3), 1);
  assert.equal(binomUpperTail(11, 10, 0.3), 0);
  // A far tail keeps its relative precision: P[Binom(100, 0.01) >= 20] (mpmath, 40 digits).
  close(binomUpperTail(20, 100, 0.01), 2.494416560402917322e-20, 1e-10);
});

test('Clopper-Pearson intervals match high-precision values (mpmath, regularized incomplete beta)', () => {
  // Computed with mpmath at 30 digits: the roots of I_p(k, n-k+1) = 0.025 and I_p(k+1, n-k) = 0.975.
  const cases: [number, number, number, number][] = [
    [5, 10, 0.187086028447, 0.812913971553],
    [0, 10, 0, 0.308497107819],
    [10, 10, 0.691502892181, 1],
    [1, 1000, 2.53174874913e-5, 0.00555892427983],
    [37, 2500, 0.0104414077784, 0.0203426368308],
    [2499, 2500, 0.997773379301, 0.999989872928],
  ];
  for (const [k, n, lo, hi] of cases) {
    const [l, h] = clopperPearson(k, n);
    assert.ok(Math.abs(l - lo) < 1e-9 * Math.max(1, lo / 1e-5), `low ${k}/${n}: ${l} vs ${lo}`);
    assert.ok(Math.abs(h - hi) < 1e-9, `high ${k}/${n}: ${h} vs ${hi}`);
  }
  assert.throws(() => clopperPearson(3, 2), RangeError);
});

test('normal helpers', () => {
  close(normalCdf(0), 0.5, 1e-7);
  close(normalCdf(1.959963984540054), 0.975, 1e-6);
  close(normalCdf(-3), 0.0013498980316301, 1e-5);
  close(normalLogPdf(1, 1, 2), -Math.log(2) - 0.5 * Math.log(2 * Math.PI), 1e-12);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(quantile([0, 10], 0.25), 2.5);
  close(std([1, 2, 3, 4]), Math.sqrt(5 / 3), 1e-12);
});

test('epsilon lower bound of a perfect test on 1000 + 1000 records, by hand', () => {
  // With alpha/2 per tail the Clopper-Pearson bounds have closed forms at k = n and k = 0.
  const tprLow = 0.025 ** (1 / 1000);
  const fprHigh = 1 - 0.025 ** (1 / 1000);
  const expected = Math.log(tprLow / fprHigh);
  close(epsilonFromCounts({ tp: 1000, fn: 0, fp: 0, tn: 1000 }, 0), expected, 1e-6);
  assert.ok(expected > 5.5 && expected < 5.7);
  // delta is subtracted from the TPR bound.
  close(epsilonFromCounts({ tp: 1000, fn: 0, fp: 0, tn: 1000 }, 0.5), Math.log((tprLow - 0.5) / fprHigh), 1e-6);
});

test('epsilon lower bound is 0 for a test no better than chance, and Bonferroni makes it smaller', () => {
  assert.equal(epsilonFromCounts({ tp: 500, fn: 500, fp: 500, tn: 500 }, 1e-5), 0);
  const one = epsilonFromCounts({ tp: 300, fn: 700, fp: 10, tn: 990 }, 1e-5);
  const many = epsilonFromThresholds(Array(10).fill({ tp: 300, fn: 700, fp: 10, tn: 990 }), 1e-5);
  assert.ok(one > 2 && many < one && many > 0, `${one} ${many}`);
  // The complementary inequality counts too: swapping the roles of the two outcomes gives the same bound.
  close(epsilonFromCounts({ tp: 990, fn: 10, fp: 700, tn: 300 }, 0), epsilonFromCounts({ tp: 300, fn: 700, fp: 10, tn: 990 }, 0), 1e-12);
});
