import { InputError } from './errors.js';
import { inverseRegularizedBeta, logAddExp, logBinomial } from './special-functions.js';

/**
 * Empirical lower bounds on epsilon: what an attack's observed success proves, with a stated
 * confidence, about any (epsilon, delta) the training algorithm could satisfy. The DP audit
 * attacks call these; a bound above the accountant's epsilon means the claim is false.
 */

function checkCount(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new InputError(`${field} must be a non-negative integer, got ${value}`, { field });
}

function checkProbability(field: string, value: number, fix: string): void {
  if (!(value > 0 && value < 1)) throw new InputError(`${field} must be in (0, 1), got ${value}; ${fix}`, { field });
}

function checkDeltaBound(delta: number): void {
  if (!(delta >= 0 && delta < 1)) {
    throw new InputError(`delta must be in [0, 1), got ${delta}; use the delta of the claim being audited`, { field: 'delta' });
  }
}

/**
 * The exact (Clopper-Pearson) two-sided 1 - alpha confidence interval for a binomial
 * proportion from `successes` out of `trials`: the alpha/2 and 1 - alpha/2 quantiles of
 * Beta(k, n - k + 1) and Beta(k + 1, n - k). It never covers less than 1 - alpha.
 */
export function clopperPearson(successes: number, trials: number, alpha: number): [number, number] {
  checkCount('successes', successes);
  checkCount('trials', trials);
  if (trials < 1 || successes > trials) {
    throw new InputError(`need 0 <= successes <= trials and trials >= 1, got ${successes} of ${trials}`, { field: 'trials' });
  }
  checkProbability('alpha', alpha, 'it is one minus the confidence level, e.g. 0.05');
  const k = successes;
  const n = trials;
  const low = k === 0 ? 0 : inverseRegularizedBeta(alpha / 2, k, n - k + 1);
  // The upper quantile through the symmetry I_x(a, b) = 1 - I_{1-x}(b, a), solved on its small tail.
  const high = k === n ? 1 : 1 - inverseRegularizedBeta(alpha / 2, n - k, k + 1);
  return [low, high];
}

/** The outcome of one membership test at one threshold: members called IN or OUT, non-members likewise. */
export interface ConfusionCounts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

export interface RatesBoundQuery extends ConfusionCounts {
  /** The delta of the (epsilon, delta) claim under audit (0 for pure DP). */
  delta: number;
  /** One minus the confidence of the bound, e.g. 0.05. */
  alpha: number;
  /** Copies k of the canary inserted together: group privacy divides the bound by k. */
  copies?: number;
}

export interface RatesBound {
  epsilon: number;
  /** The Clopper-Pearson lower bound on the true positive rate and upper bound on the false positive rate. */
  tprLow: number;
  fprHigh: number;
}

/**
 * Jagielski, Ullman, Oprea 2020 ("Auditing differentially private machine learning"), Sec. 3:
 * an (epsilon, delta)-DP algorithm has TPR <= e^eps FPR + delta for any test, so
 * eps >= ln((p1 - delta) / p0) with p1 a Clopper-Pearson lower bound on the TPR and p0 an
 * upper bound on the FPR (alpha/2 in each, so both hold together with confidence 1 - alpha).
 * The complementary test (TNR vs FNR) obeys the same inequality; when p0 + p1 > 1 it is the
 * stronger one, so the pair becomes (p0, p1) = (1 - p1, 1 - p0). k copies of a canary make a
 * group of k, for which the bound is k eps; we report the per-example eps. Clamped at 0.
 */
export function epsilonLowerBoundFromRates({ tp, fn, fp, tn, delta, alpha, copies = 1 }: RatesBoundQuery): RatesBound {
  checkDeltaBound(delta);
  if (!Number.isInteger(copies) || copies < 1) throw new InputError(`copies must be an integer >= 1, got ${copies}`, { field: 'copies' });
  const [tprLow] = clopperPearson(tp, tp + fn, alpha);
  const [, fprHigh] = clopperPearson(fp, fp + tn, alpha);
  let p1 = tprLow;
  let p0 = fprHigh;
  if (p0 + p1 > 1) [p0, p1] = [1 - p1, 1 - p0];
  const epsilon = p1 > delta ? Math.max(0, Math.log((p1 - delta) / p0) / copies) : 0;
  return { epsilon, tprLow, fprHigh };
}

export interface ThresholdsBoundQuery {
  /** The counts at each threshold the auditor tried. */
  thresholds: ConfusionCounts[];
  delta: number;
  alpha: number;
  copies?: number;
}

/**
 * The best bound over several thresholds. Choosing the threshold after looking at the data
 * spends confidence, so each threshold is tested at alpha / (number tried) (Bonferroni), and
 * the maximum still holds with confidence 1 - alpha.
 */
export function epsilonLowerBoundFromThresholds({ thresholds, delta, alpha, copies }: ThresholdsBoundQuery): RatesBound & { threshold: number } {
  if (thresholds.length === 0) throw new InputError('thresholds must list at least one set of counts', { field: 'thresholds' });
  checkProbability('alpha', alpha, 'it is one minus the confidence level, e.g. 0.05');
  const bounds = thresholds.map((counts) => epsilonLowerBoundFromRates({ ...counts, delta, alpha: alpha / thresholds.length, copies }));
  const threshold = bounds.reduce((best, b, i) => (b.epsilon > bounds[best].epsilon ? i : best), 0);
  return { ...bounds[threshold], threshold };
}

export interface OneRunQuery {
  /** Canaries, each included in training independently with probability 1/2. */
  m: number;
  /** Guesses made (canaries not abstained on). */
  r: number;
  /** Correct guesses. */
  v: number;
  /** The delta of the claim under audit. */
  delta: number;
  /** Significance: the bound holds with confidence 1 - p. */
  p: number;
}

/**
 * log P[Binomial(r, q) = k] for every k in [0, r], given log q and log(1 - q): one log-gamma
 * evaluation, then the ratio P(k+1)/P(k) = (r-k)/(k+1) q/(1-q) upward and downward from the mode.
 */
function binomialLogPmf(r: number, logQ: number, log1mQ: number): Float64Array {
  const out = new Float64Array(r + 1);
  const mode = Math.min(r, Math.max(0, Math.floor((r + 1) * Math.exp(logQ))));
  out[mode] = logBinomial(r, mode) + mode * logQ + (r - mode) * log1mQ;
  for (let k = mode; k < r; k++) out[k + 1] = out[k] + Math.log((r - k) / (k + 1)) + logQ - log1mQ;
  for (let k = mode; k > 0; k--) out[k - 1] = out[k] + Math.log(k / (r - k + 1)) + log1mQ - logQ;
  return out;
}

/**
 * The p-value of v or more correct guesses out of r if the algorithm were (eps, delta)-DP
 * (Steinke, Nasr, Jagielski 2023, "Privacy auditing with one (1) training run": the main
 * theorem and the p-value code in the paper's appendix). Under eps-DP the guesses are no better
 * than randomized response with accuracy q = e^eps / (1 + e^eps); delta adds at most
 * 2 m delta alpha, with alpha = max_i (1/i) P[v - i <= Binomial(r, q) < v]. In log space, so
 * tails far below double precision still compare correctly.
 */
function oneRunLogPValue(m: number, r: number, v: number, eps: number, delta: number): number {
  const logQ = -Math.log1p(Math.exp(-eps)); // log(1 / (1 + e^-eps)), stable for large eps
  const log1mQ = -eps + logQ;
  const logPmf = binomialLogPmf(r, logQ, log1mQ);
  let logBeta = -Infinity; // log P[Binomial(r, q) >= v]
  for (let k = v; k <= r; k++) logBeta = logAddExp(logBeta, logPmf[k]);
  let logSum = -Infinity; // log P[v - i <= Binomial(r, q) < v]
  let logAlpha = -Infinity;
  for (let i = 1; i <= v; i++) {
    logSum = logAddExp(logSum, logPmf[v - i]);
    logAlpha = Math.max(logAlpha, logSum - Math.log(i));
  }
  const logDeltaTerm = delta > 0 ? logAlpha + Math.log(2 * m * delta) : -Infinity;
  return Math.min(0, logAddExp(logBeta, logDeltaTerm));
}

/**
 * The one-run audit bound of Steinke, Nasr, Jagielski 2023: the largest eps whose p-value for
 * the observed (r, v) is still below p, i.e. every smaller eps is rejected with confidence
 * 1 - p. The p-value grows with eps, so bisection finds it; 0 when even eps = 0 is not rejected.
 * The guess counts must be fixed before looking (or the choice corrected for): maximising over
 * many (k-, k+) splits without correction overstates the bound.
 */
export function oneRunEpsilonLowerBound({ m, r, v, delta, p }: OneRunQuery): number {
  for (const [field, value] of Object.entries({ m, r, v })) checkCount(field, value);
  if (!(v <= r && r <= m)) throw new InputError(`need v <= r <= m, got v=${v}, r=${r}, m=${m}`, { field: 'r' });
  checkDeltaBound(delta);
  checkProbability('p', p, 'it is the significance level, e.g. 0.05 for 95% confidence');
  const logP = Math.log(p);
  const rejected = (eps: number) => oneRunLogPValue(m, r, v, eps, delta) < logP;
  if (!rejected(0)) return 0;
  let low = 0;
  let high = 1;
  while (rejected(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1e-12 * high) {
    const mid = (low + high) / 2;
    if (rejected(mid)) low = mid;
    else high = mid;
  }
  return low;
}
