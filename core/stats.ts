/**
 * Statistics the attacks and their metrics share: binomial tails and exact intervals, the
 * normal distribution, and robust summaries. Plain numbers, no dependencies.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln C(n, k). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** ln P[Binom(n, p) = k], exact at p = 0 and p = 1. */
export function logBinomPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * ln of sum_{i in [from, to]} P[Binom(n, p) = i], walking away from the mode with the ratio of
 * consecutive terms and stopping once the terms no longer move the sum.
 */
function logPmfSum(from: number, to: number, n: number, p: number): number {
  const step = Math.log(p) - Math.log1p(-p);
  const mode = Math.min(to, Math.max(from, Math.floor((n + 1) * p)));
  const start = logBinomPmf(mode, n, p);
  let s = start;
  let t = start;
  for (let i = mode; i < to; i++) {
    t += Math.log((n - i) / (i + 1)) + step;
    s = logAddExp(s, t);
    if (t < s - 40) break;
  }
  t = start;
  for (let i = mode; i > from; i--) {
    t -= Math.log((n - i + 1) / i) + step;
    s = logAddExp(s, t);
    if (t < s - 40) break;
  }
  return s;
}

/** P[Binom(n, p) >= k], summed in log space over the smaller tail so it stays accurate near 0 and 1. */
export function binomUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  if (k > n * p) return Math.min(1, Math.exp(logPmfSum(k, n, n, p)));
  return Math.max(0, 1 - Math.exp(logPmfSum(0, k - 1, n, p)));
}

/** The p in [0, 1] where the monotone function f crosses `target` (bisection, 60 halvings). */
function bisect(f: (p: number) => number, target: number, increasing: boolean): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target === increasing) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The exact (Clopper-Pearson 1934) two-sided interval for a binomial proportion with k
 * successes in n trials at level 1 - alpha: the bounds where each one-sided tail is alpha/2.
 * Conservative by construction, which is what an audit claim needs.
 */
export function clopperPearson(k: number, n: number, alpha = 0.05): [number, number] {
  if (!(n >= 1) || k < 0 || k > n || !Number.isInteger(k) || !Number.isInteger(n)) {
    throw new RangeError(`clopperPearson needs integers 0 <= k <= n, n >= 1; got k=${k}, n=${n}`);
  }
  // Lower: P[Binom(n,p) >= k] = alpha/2, increasing in p. Upper: P[Binom(n,p) <= k] = alpha/2.
  const low = k === 0 ? 0 : bisect((p) => binomUpperTail(k, n, p), alpha / 2, true);
  const high = k === n ? 1 : bisect((p) => 1 - binomUpperTail(k + 1, n, p), alpha / 2, false);
  return [low, high];
}

/** ln of the normal density N(x; mean, std^2). */
export function normalLogPdf(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return -0.5 * z * z - Math.log(std) - LOG_SQRT_2PI;
}

/** erfc with relative error < 1.2e-7 (Numerical Recipes' Chebyshev fit), enough for CDFs. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values. */
export function std(v: ArrayLike<number>): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return Math.sqrt(s / (v.length - 1));
}

export function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The q-quantile (0..1) by linear interpolation between order statistics. */
export function quantile(v: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(v).sort();
  const pos = q * (s.length - 1);
  const i = Math.floor(pos);
  return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
}
