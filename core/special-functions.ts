/**
 * The special functions DP accounting and auditing need, in double precision: log-space sums,
 * erfc with its logarithm far into the tail, log-gamma, and the regularized incomplete beta
 * function with its inverse. Written here because no dependency of ours provides them.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Below this erfc comes from the power series of erf, above it from the continued fraction. */
const ERF_SERIES_LIMIT = 2;

/** log(e^a + e^b) without overflow; -Infinity stands for log 0. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** log(e^a - e^b) for a >= b; -Infinity when they are equal. */
export function logSubExp(a: number, b: number): number {
  if (a < b) throw new RangeError(`logSubExp: e^${a} - e^${b} is negative`);
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

/** log(sum_i e^{x_i}) of a list, scaled by its largest term. */
export function logSumExp(xs: ArrayLike<number>): number {
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) hi = Math.max(hi, xs[i]);
  if (hi === -Infinity || hi === Infinity) return hi;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp(xs[i] - hi);
  return hi + Math.log(sum);
}

/**
 * erf(x) for 0 <= x < ERF_SERIES_LIMIT from the series with positive terms
 * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (2n+1)!! (DLMF 7.6.2): no cancellation.
 */
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 0; term > 1e-17 * sum; n++) {
    term *= x2 / (2 * n + 3);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/**
 * e^{x^2} erfc(x) for x >= ERF_SERIES_LIMIT from Laplace's continued fraction
 * erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (DLMF 7.9.2),
 * evaluated by the modified Lentz method. It converges fast for large x and never underflows.
 */
function erfcScaledFraction(x: number): number {
  if (x === Infinity) return 0;
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = 1 / (d === 0 ? tiny : d);
    c = x + a / c;
    if (c === 0) c = tiny;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** The complementary error function, with small relative error in the upper tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < ERF_SERIES_LIMIT) return 1 - erfSeries(x);
  return Math.exp(-x * x) * erfcScaledFraction(x);
}

/**
 * log(erfc(x)), finite far beyond the point where erfc(x) underflows (x > 26.5), and with
 * log1p near x = 0 where erfc(x) is close to 1.
 */
export function logErfc(x: number): number {
  if (x >= ERF_SERIES_LIMIT) return -x * x + Math.log(erfcScaledFraction(x));
  if (x >= 0) return Math.log1p(-erfSeries(x));
  if (x > -ERF_SERIES_LIMIT) return Math.log1p(erfSeries(-x));
  return Math.log(erfc(x));
}

/** The standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * log Gamma(x) for x > 0: Stirling's series with seven Bernoulli terms (DLMF 5.11.1), after
 * shifting x up to at least 15 with Gamma(x+1) = x Gamma(x); the truncation error there is
 * below 1e-19.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  let shift = 0;
  let y = x;
  if (y < 15) {
    let product = 1;
    while (y < 15) product *= y++;
    shift = Math.log(product);
  }
  const r = 1 / y;
  const r2 = r * r;
  const series =
    r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))));
  return (y - 0.5) * Math.log(y) - y + HALF_LOG_2PI + series - shift;
}

/** log of the binomial coefficient C(n, k) for real n >= k >= 0. */
export function logBinomial(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The continued fraction of I_x(a, b) (DLMF 8.17.22) by the modified Lentz method; it
 * converges quickly for x < (a + 1) / (a + b + 2).
 */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let f = d;
  for (let m = 1; m < 10000; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    for (const coef of [even, odd]) {
      d = 1 + coef * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + coef / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-16) break;
  }
  return f;
}

/**
 * The regularized incomplete beta function I_x(a, b) = P[Beta(a, b) <= x]. Each branch uses
 * the continued fraction where it converges, and the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta needs a, b > 0, got a=${a}, b=${b}`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(1 - x, b, a)) / b;
}

/**
 * The x with I_x(a, b) = p: Newton's method on the density x^{a-1} (1-x)^{b-1} / B(a, b),
 * kept inside a shrinking bracket (bisection whenever a Newton step would leave it).
 */
export function inverseRegularizedBeta(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`inverseRegularizedBeta needs p in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lb = logBeta(a, b);
  let lo = 0;
  let hi = 1;
  let x = a / (a + b);
  for (let iter = 0; iter < 300; iter++) {
    const f = regularizedBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lb);
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = lo > 0 ? Math.sqrt(lo * hi) : hi / 2;
    if (Math.abs(next - x) <= 1e-15 * x || hi - lo <= 1e-300) return next;
    x = next;
  }
  return x;
}
