import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../core/errors.js';
import {
  clopperPearson,
  epsilonLowerBoundFromRates,
  epsilonLowerBoundFromThresholds,
  oneRunEpsilonLowerBound,
} from '../../core/empirical-epsilon.js';
import { assertClose } from '../fixtures/assert-close.js';

test('Clopper-Pearson intervals match scipy.stats.beta.ppf', () => {
  // scipy: low = beta.ppf(alpha/2, k, n-k+1), high = beta.ppf(1-alpha/2, k+1, n-k)
  const cases: [number, number, number, number, number][] = [
    [0, 10, 0.05, 0, 0.3084971078187608],
    [3, 10, 0.05, 0.06673951117773447, 0.6524528500599973],
    [10, 10, 0.05, 0.6915028921812392, 1],
    [50, 100, 0.05, 0.39832112950330106, 0.6016788704966989],
    [7, 2000, 0.01, 0.0010196794530703797, 0.008545112420801028],
    [1, 1000000, 0.05, 2.5317807663794178e-8, 5.571630655166939e-6],
    [999, 1000, 1e-6, 0.9827200947387915, 0.9999999994999998],
    [123456, 1000000, 0.001, 0.12237589525913871, 0.12454179558467816],
  ];
  for (const [k, n, alpha, low, high] of cases) {
    const [l, h] = clopperPearson(k, n, alpha);
    if (low === 0) assert.equal(l, 0);
    else assertClose(l, low, 1e-9, `low ${k}/${n}`);
    assertClose(h, high, 1e-9, `high ${k}/${n}`);
  }
  assert.throws(() => clopperPearson(11, 10, 0.05), InputError);
  assert.throws(() => clopperPearson(1, 10, 1.2), /alpha must be in \(0, 1\)/);
  assert.throws(() => clopperPearson(1.5, 10, 0.05), /successes must be a non-negative integer/);
});

test('rates bound: ln(p1 / p0) from Clopper-Pearson bounds (Jagielski et al. 2020)', () => {
  const r = epsilonLowerBoundFromRates({ tp: 990, fn: 10, fp: 10, tn: 990, delta: 0, alpha: 0.05 });
  // scipy: log(beta.ppf(0.025, 990, 11) / beta.ppf(0.975, 11, 990))
  assertClose(r.epsilon, 3.9816478103443456, 1e-9);
  assertClose(r.tprLow, 1 - r.fprHigh, 1e-12, 'the symmetric counts give symmetric bounds');
  // k copies: group privacy divides by k.
  assertClose(epsilonLowerBoundFromRates({ tp: 990, fn: 10, fp: 10, tn: 990, delta: 0, alpha: 0.05, copies: 4 }).epsilon, 3.9816478103443456 / 4, 1e-12);
});

test('delta is subtracted from the TPR bound, and a useless test proves nothing', () => {
  const counts = { tp: 500, fn: 500, fp: 0, tn: 1000, alpha: 0.05 };
  const [tprLow] = clopperPearson(500, 1000, 0.05);
  const [, fprHigh] = clopperPearson(0, 1000, 0.05);
  assertClose(epsilonLowerBoundFromRates({ ...counts, delta: 0.01 }).epsilon, Math.log((tprLow - 0.01) / fprHigh), 1e-12);
  assert.ok(epsilonLowerBoundFromRates({ ...counts, delta: 0.01 }).epsilon < epsilonLowerBoundFromRates({ ...counts, delta: 0 }).epsilon);
  assert.equal(epsilonLowerBoundFromRates({ tp: 50, fn: 50, fp: 50, tn: 50, delta: 0, alpha: 0.05 }).epsilon, 0);
  assert.equal(epsilonLowerBoundFromRates({ ...counts, delta: 0.9 }).epsilon, 0, 'TPR bound below delta');
});

test('when p0 + p1 > 1 the complementary test (TNR vs FNR) gives the bound', () => {
  // TPR ~ 1 and FPR ~ 1/2: the test "says OUT" is the informative one; it mirrors the case above.
  const mirrored = epsilonLowerBoundFromRates({ tp: 1000, fn: 0, fp: 500, tn: 500, delta: 1e-5, alpha: 0.05 });
  const direct = epsilonLowerBoundFromRates({ tp: 500, fn: 500, fp: 0, tn: 1000, delta: 1e-5, alpha: 0.05 });
  assertClose(mirrored.epsilon, direct.epsilon, 1e-12);
  assert.ok(mirrored.tprLow + mirrored.fprHigh > 1);
  assert.ok(mirrored.epsilon > 4.8, String(mirrored.epsilon));
});

test('thresholds: Bonferroni spends alpha / (thresholds tried), so more tries give a weaker bound', () => {
  const good = { tp: 990, fn: 10, fp: 10, tn: 990 };
  const poor = { tp: 600, fn: 400, fp: 400, tn: 600 };
  const one = epsilonLowerBoundFromThresholds({ thresholds: [good], delta: 0, alpha: 0.05 });
  assertClose(one.epsilon, 3.9816478103443456, 1e-9);
  const many = epsilonLowerBoundFromThresholds({ thresholds: [poor, poor, good, poor, poor], delta: 0, alpha: 0.05 });
  assert.equal(many.threshold, 2);
  assertClose(many.epsilon, epsilonLowerBoundFromRates({ ...good, delta: 0, alpha: 0.01 }).epsilon, 1e-12);
  assert.ok(many.epsilon < one.epsilon);
  assert.throws(() => epsilonLowerBoundFromThresholds({ thresholds: [], delta: 0, alpha: 0.05 }), InputError);
});

test('one-run bound (Steinke, Nasr, Jagielski 2023) reproduces the reference values to 3 decimals', () => {
  const p = 0.05;
  assert.equal(oneRunEpsilonLowerBound({ m: 1000, r: 100, v: 100, delta: 0, p }).toFixed(4), '3.4930');
  assert.equal(oneRunEpsilonLowerBound({ m: 1000, r: 100, v: 90, delta: 1e-5, p }).toFixed(4), '1.6261');
  assert.equal(oneRunEpsilonLowerBound({ m: 1000, r: 1000, v: 1000, delta: 1e-5, p }).toFixed(4), '5.7823');
  // With delta = 0 and all guesses right the p-value is q^r, so the bound solves q^100 = 0.05 exactly.
  const q = Math.pow(0.05, 1 / 100);
  assertClose(oneRunEpsilonLowerBound({ m: 1000, r: 100, v: 100, delta: 0, p }), Math.log(q / (1 - q)), 1e-10);
});

test("one-run bound agrees with the paper's algorithm run in scipy on more cases", () => {
  // get_eps_audit of Steinke et al.'s appendix code with binom.sf / binom.pmf, bisected to 1e-15.
  const cases: [number, number, number, number, number][] = [
    [1000, 1000, 900, 1e-5, 2.0206455958654317],
    [1000, 10, 10, 1e-5, 1.0149862038846709],
    [100000, 5000, 4000, 1e-6, 1.3270188245869883],
  ];
  for (const [m, r, v, delta, want] of cases) assertClose(oneRunEpsilonLowerBound({ m, r, v, delta, p: 0.05 }), want, 1e-9, `${m}/${r}/${v}`);
});

test('one-run bound: chance-level guessing proves nothing; more confidence or delta lowers it', () => {
  assert.equal(oneRunEpsilonLowerBound({ m: 1000, r: 100, v: 50, delta: 1e-5, p: 0.05 }), 0);
  const at05 = oneRunEpsilonLowerBound({ m: 1000, r: 200, v: 180, delta: 1e-5, p: 0.05 });
  assert.ok(oneRunEpsilonLowerBound({ m: 1000, r: 200, v: 180, delta: 1e-5, p: 0.01 }) < at05);
  assert.ok(oneRunEpsilonLowerBound({ m: 1000, r: 200, v: 180, delta: 1e-3, p: 0.05 }) < at05);
  assert.throws(() => oneRunEpsilonLowerBound({ m: 10, r: 20, v: 5, delta: 0, p: 0.05 }), /v <= r <= m/);
  assert.throws(() => oneRunEpsilonLowerBound({ m: 100, r: 20, v: 5, delta: 0, p: 1 }), /p must be in \(0, 1\)/);
});

test('Clopper-Pearson intervals at 95% match mpmath (30 digits, regularized incomplete beta roots)', () => {
  const cases: [number, number, number, number][] = [
    [5, 10, 0.187086028447, 0.812913971553],
    [1, 1000, 2.53174874913e-5, 0.00555892427983],
    [37, 2500, 0.0104414077784, 0.0203426368308],
    [2499, 2500, 0.997773379301, 0.999989872928],
  ];
  for (const [k, n, lo, hi] of cases) {
    const [l, h] = clopperPearson(k, n, 0.05);
    assertClose(l, lo, 1e-9, `low ${k}/${n}`);
    assertClose(h, hi, 1e-9, `high ${k}/${n}`);
  }
});

test('a perfect test on 1000 + 1000 records: the closed-form bound, by hand', () => {
  // At k = n and k = 0 the Clopper-Pearson bounds are (alpha/2)^(1/n) and 1 - (alpha/2)^(1/n).
  const tprLow = 0.025 ** (1 / 1000);
  const fprHigh = 1 - 0.025 ** (1 / 1000);
  const r = epsilonLowerBoundFromRates({ tp: 1000, fn: 0, fp: 0, tn: 1000, delta: 1e-5, alpha: 0.05 });
  assertClose(r.epsilon, Math.log((tprLow - 1e-5) / fprHigh), 1e-9);
  assert.ok(r.epsilon > 5.5 && r.epsilon < 5.7);
});
