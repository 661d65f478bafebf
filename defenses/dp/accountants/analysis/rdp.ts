import { logAddExp, logErfc, logSubExp, logSumExp } from '../../../../core/special-functions.js';
import type { Composition } from '../types.js';

/**
 * Opacus's default RDP orders (`RDPAccountant.DEFAULT_ALPHAS`): 1.1, 1.2, ..., 10.9, then the
 * integers 12 to 63. TF Privacy's `compute_dp_sgd_privacy` uses a coarser grid; passing the
 * same orders reproduces its numbers.
 */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
]);

/**
 * log A_alpha for an integer order: A_alpha = sum_i C(alpha, i) q^i (1-q)^(alpha-i)
 * exp((i^2 - i) / (2 sigma^2)) (Mironov, Talwar, Zhang 2019, Sec. 3.3). Every term is positive,
 * so one log-sum-exp is exact up to rounding.
 */
function logAInteger(q: number, sigma: number, order: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const terms = new Float64Array(order + 1);
  let logCoef = 0; // log C(order, i), built up term by term
  for (let i = 0; i <= order; i++) {
    terms[i] = logCoef + i * logQ + (order - i) * log1mQ + (i * i - i) / (2 * sigma * sigma);
    logCoef += Math.log((order - i) / (i + 1));
  }
  return logSumExp(terms);
}

/** The fractional-order series converges polynomially; this bounds it far beyond any case seen. */
const MAX_SERIES_TERMS = 10_000_000;

/**
 * log A_alpha for a fractional order (Mironov, Talwar, Zhang 2019, Sec. 3.3): the integral
 * splits at z0 = sigma^2 log(1/q - 1) + 1/2 into two binomial series whose terms carry erfc
 * factors. The coefficients C(alpha, i) change sign once i > alpha, so each half is a signed
 * sum kept in log space, as TF Privacy and Opacus (`_compute_log_a_for_frac_alpha`) keep it.
 * The series stops once both terms shrink and fall below e^-30 of the running total.
 */
function logAFractional(q: number, sigma: number, order: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const scale = Math.SQRT2 * sigma;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  let logAbsCoef = 0; // log |C(order, i)|
  let sign = 1; // sign of C(order, i)
  let last0 = Infinity;
  let last1 = Infinity;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    const j = order - i;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / scale);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / scale);
    const s0 = logAbsCoef + i * logQ + j * log1mQ + (i * i - i) / (2 * sigma * sigma) + logE0;
    const s1 = logAbsCoef + j * logQ + i * log1mQ + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (sign > 0) {
      logA0 = logAddExp(logA0, s0);
      logA1 = logAddExp(logA1, s1);
    } else {
      logA0 = logSubExp(logA0, s0);
      logA1 = logSubExp(logA1, s1);
    }
    if (s0 < last0 && s1 < last1 && Math.max(s0, s1) < logAddExp(logA0, logA1) - 30) return logAddExp(logA0, logA1);
    last0 = s0;
    last1 = s1;
    logAbsCoef += Math.log(Math.abs(j) / (i + 1));
    if (j < 0) sign = -sign;
  }
  throw new Error(`RDP series did not converge for q=${q}, sigma=${sigma}, order=${order}`);
}

/**
 * RDP at `order` of one step of the Poisson-subsampled Gaussian mechanism with sampling rate
 * q and noise multiplier sigma (sensitivity 1), in the add/remove-one adjacency. q = 1 is the
 * plain Gaussian, alpha / (2 sigma^2); q = 0 releases nothing about the example.
 */
export function subsampledGaussianRdp(q: number, sigma: number, order: number): number {
  if (q === 0) return 0;
  if (q === 1) return order / (2 * sigma * sigma);
  const logA = Number.isInteger(order) ? logAInteger(q, sigma, order) : logAFractional(q, sigma, order);
  return logA / (order - 1);
}

/** RDP composes by addition: the RDP curve of a whole history, one value per order. */
export function historyRdp(history: readonly Composition[], orders: readonly number[]): Float64Array {
  const rdp = new Float64Array(orders.length);
  for (const { sampleRate, noiseMultiplier, steps } of history) {
    for (let k = 0; k < orders.length; k++) rdp[k] += steps * subsampledGaussianRdp(sampleRate, noiseMultiplier, orders[k]);
  }
  return rdp;
}

export interface RdpConversion {
  /** The smallest epsilon over the orders, clamped at 0. */
  epsilon: number;
  /** The order that gives it. */
  order: number;
  /** Set when that order is the first or last of the grid, where a wider grid might do better. */
  edge?: 'smallest' | 'largest';
}

/**
 * (epsilon, delta)-DP from an RDP curve by the conversion of Balle et al. 2020 ("Hypothesis
 * testing interpretations and Renyi differential privacy", Theorem 21), which TF Privacy,
 * dp_accounting and Opacus use: eps = min_alpha RDP(alpha) + log((alpha-1)/alpha)
 * - (log delta + log alpha) / (alpha - 1). It is tighter than the original
 * eps = RDP(alpha) - log(delta) / (alpha - 1) of Mironov 2017, so older published numbers
 * are larger. A negative minimum means the mechanism is (0, delta)-DP, hence the clamp.
 */
export function rdpToEpsilon(orders: readonly number[], rdp: ArrayLike<number>, delta: number): RdpConversion {
  let best = Infinity;
  let bestIndex = -1;
  const logDelta = Math.log(delta);
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k];
    const eps = rdp[k] + Math.log((a - 1) / a) - (logDelta + Math.log(a)) / (a - 1);
    if (eps < best) {
      best = eps;
      bestIndex = k;
    }
  }
  if (bestIndex < 0) return { epsilon: Infinity, order: NaN };
  const edge = bestIndex === 0 ? 'smallest' : bestIndex === orders.length - 1 ? 'largest' : undefined;
  return { epsilon: Math.max(0, best), order: orders[bestIndex], ...(edge ? { edge } : {}) };
}
