import { clopperPearson } from './stats.js';

export interface Counts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

/**
 * The epsilon lower bound that one membership test's outcome implies, with confidence 1 - alpha
 * (Jagielski et al. 2020, "Auditing Differentially Private Machine Learning", §3; Nasr et al.
 * 2021). An (eps, delta)-DP mechanism forces TPR <= e^eps FPR + delta and TNR <= e^eps FNR +
 * delta, so eps >= ln((TPR - delta) / FPR) for the test and for its complement. The rates are
 * replaced by their Clopper-Pearson bounds: the lower bound on the numerator's rate, the upper
 * bound on the denominator's. Never negative.
 */
export function epsilonFromCounts(c: Counts, delta: number, alpha = 0.05): number {
  const bound = (hit: number, miss: number, falseHit: number, falseMiss: number): number => {
    if (hit + miss === 0 || falseHit + falseMiss === 0) return 0;
    const [rateLow] = clopperPearson(hit, hit + miss, alpha);
    const [, falseHigh] = clopperPearson(falseHit, falseHit + falseMiss, alpha);
    return rateLow > delta ? Math.log((rateLow - delta) / falseHigh) : 0;
  };
  return Math.max(0, bound(c.tp, c.fn, c.fp, c.tn), bound(c.tn, c.fp, c.fn, c.tp));
}

/**
 * The best bound over several thresholds, with a Bonferroni correction: each threshold is
 * tested at alpha / thresholds, so taking the maximum keeps the 1 - alpha confidence.
 */
export function epsilonFromThresholds(counts: Counts[], delta: number, alpha = 0.05): number {
  let best = 0;
  for (const c of counts) best = Math.max(best, epsilonFromCounts(c, delta, alpha / counts.length));
  return best;
}
