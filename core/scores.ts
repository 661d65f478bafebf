import { isDeepStrictEqual } from 'node:util';
import type { Band, ExperimentResult, Score, Scores } from './results.js';
import { normalCdf } from './special-functions.js';

/**
 * Privacy, Utility and Cost scores, 0-100, the way Lighthouse scores a metric: a raw number
 * (lower is better) goes through a log-normal curve fixed by two control points, `good` scoring
 * 90 and `median` scoring 50; 100 is reached at 0. Bands: >= 90 good, >= 50 average, else poor.
 * The report prints each formula and its inputs, so every score can be checked by hand.
 */
export interface ControlPoints {
  /** The raw value that scores 90. */
  good: number;
  /** The raw value that scores 50; larger than `good`. */
  median: number;
}

// z such that Phi(z) = 0.9: with sigma = ln(median/good) / Z90, `good` lands exactly on 0.9.
const Z90 = 1.2815515655446004;

/**
 * Lighthouse's log-normal score in [0, 1] (lighthouse `statistics.js`, getLogNormalScore):
 * 1 - Phi(ln(x / median) / sigma). As there, the result is clamped into the band its control
 * points promise, so rounding can never move a value across a band edge.
 */
export function logNormalScore(x: number, { good, median }: ControlPoints): number {
  if (!(good > 0 && median > good)) throw new RangeError(`control points need 0 < good < median, got ${good}, ${median}`);
  if (x <= 0) return 1;
  const sigma = Math.log(median / good) / Z90;
  const s = normalCdf(-Math.log(x / median) / sigma);
  if (x <= good) return Math.min(1, Math.max(0.9, s));
  if (x <= median) return Math.min(0.8999999999999999, Math.max(0.5, s));
  return Math.min(0.4999999999999999, Math.max(0, s));
}

/** 0-100, rounded down so a value never shows a band it did not reach (89.99 stays 89). */
export const scoreValue = (s: number): number => Math.floor(100 * s + 1e-9);

export function band(value: number | null): Band {
  if (value === null) return 'n/a';
  return value >= 90 ? 'good' : value >= 50 ? 'average' : 'poor';
}

/** How the report and results.json describe L; the formulas below use it. */
export const LOG_NORMAL_DEFINITION =
  'L(x; a, b) = 100 · ½·erfc(ln(x/b) / (√2·σ)) with σ = ln(b/a) / 1.2816, rounded down: ' +
  'x = a scores 90, x = b scores 50, x <= 0 scores 100 (Lighthouse’s log-normal scoring)';

export interface PrivacySignal extends ControlPoints {
  /** The attack metric key, as in results.json and gates. */
  metric: string;
  label: string;
}

/**
 * What privacy is scored on: the worst attack's low-FPR true-positive rates and its empirical
 * epsilon, not AUC (Carlini et al. 2022: AUC hides whether anyone can be singled out).
 * - TPR at 0.1% FPR: guessing finds 0.1% of members at 0.1% false positives. Twice chance
 *   (0.2%) is within what sampling noise and the weakest real signals give, so it scores 90;
 *   20x chance (2%) means an attacker confidently names 1 member in 50, so it scores 50 (the
 *   ppml:recommended gate already errors at 1%).
 * - TPR at 1% FPR: the same multiples of its chance level (1%): 2% scores 90, 20% scores 50.
 * - Empirical epsilon lower bound at delta 1e-5: 0.5 (the attack proves membership shifts an
 *   output's odds by at least e^0.5 = 1.6x, which epsilon-1 DP allows) scores 90; 2 (at least
 *   7.4x, which refutes any claim of epsilon <= 1, the usual "strong privacy" level) scores 50.
 */
export const PRIVACY_SIGNALS: readonly PrivacySignal[] = [
  { metric: 'tprAt1e-3', label: 'TPR at 0.1% FPR', good: 0.002, median: 0.02 },
  { metric: 'tprAt1e-2', label: 'TPR at 1% FPR', good: 0.02, median: 0.2 },
  { metric: 'epsilonLowerBound', label: 'empirical ε lower bound', good: 0.5, median: 2 },
];

/**
 * Utility: relative loss of test accuracy against the baseline, 1 - accuracy / baseline accuracy.
 * Losing 2% of the correct answers (90% -> 88.2%) is what a well-tuned defense costs on easy
 * tasks and usually within a product's tolerance: 90. Losing a tenth of them (90% -> 81%) is
 * where a product owner would question shipping: 50.
 */
export const UTILITY_POINTS: ControlPoints = { good: 0.02, median: 0.1 };

/**
 * Cost: extra training time over the baseline, seconds / baseline seconds - 1. Doubling it (1)
 * is what DP-SGD or secure aggregation typically add: 90. Tenfold (9), the order of
 * homomorphic encryption or MPC, scores 50.
 */
export const COST_POINTS: ControlPoints = { good: 1, median: 9 };

export interface PrivacyTerm extends PrivacySignal {
  /** The highest value of the metric over the experiment's attacks, and the attack that has it. */
  value: number;
  attack: string;
  attackTitle: string;
  score: number;
}

/** One term per signal that some attack reports: its worst (highest) value and its score. */
export function privacyTerms(e: ExperimentResult): PrivacyTerm[] {
  return PRIVACY_SIGNALS.flatMap((signal) => {
    let worst: { value: number; attack: string; attackTitle: string } | undefined;
    for (const a of e.attacks) {
      const v = a.metrics[signal.metric]?.value;
      if (v !== undefined && Number.isFinite(v) && (!worst || v > worst.value)) worst = { value: v, attack: a.id, attackTitle: a.title };
    }
    return worst ? [{ ...signal, ...worst, score: scoreValue(logNormalScore(worst.value, signal)) }] : [];
  });
}

const notApplicable = (formula: string, inputs: Score['inputs'] = {}): Score => ({ value: null, band: 'n/a', formula, inputs });

const scored = (value: number, formula: string, inputs: Score['inputs']): Score => ({ value, band: band(value), formula, inputs });

export function privacyScore(e: ExperimentResult): Score {
  const terms = privacyTerms(e);
  if (!terms.length) {
    return notApplicable(`n/a: no attack reports ${PRIVACY_SIGNALS.map((s) => s.metric).join(', ')}`);
  }
  const inputs: Score['inputs'] = {};
  for (const t of terms) {
    inputs[t.metric] = t.value;
    inputs[`${t.metric} attack`] = t.attack;
  }
  const formula = `min(${terms.map((t) => `L(${t.metric}; ${t.good}, ${t.median})`).join(', ')}), each at the attack with the highest value`;
  return scored(Math.min(...terms.map((t) => t.score)), formula, inputs);
}

/** The suite entry a matrix experiment came from: its name without the `(key=value, ...)` label. */
export function familyName(e: ExperimentResult): string {
  return Object.keys(e.variant).length ? e.name.replace(/ \([^()]*\)$/, '') : e.name;
}

/** Trained in plaintext: no defense and no weight decay (a regulariser that also reduces leakage). */
const isPlain = (e: ExperimentResult): boolean => e.configuration.defenses.length === 0 && !(Number(e.configuration.training.weightDecay) > 0);

/**
 * What utility and cost are measured against, among the experiments of the same seed and the
 * same dataset configuration: the first plain one (no defense, no weight decay) of the same
 * suite entry (the same name before the matrix label); else the most accurate one, which may
 * be `e` itself.
 */
export function baselineOf(e: ExperimentResult, all: ExperimentResult[]): ExperimentResult {
  const peers = all.filter((o) => o.seed === e.seed && isDeepStrictEqual(o.configuration.dataset, e.configuration.dataset));
  const plain = peers.find((o) => familyName(o) === familyName(e) && isPlain(o));
  return plain ?? peers.reduce((best, o) => (o.utility.testAccuracy > best.utility.testAccuracy ? o : best), e);
}

export function utilityScore(e: ExperimentResult, base: ExperimentResult): Score {
  const inputs = { testAccuracy: e.utility.testAccuracy, baseline: base.id, baselineTestAccuracy: base.utility.testAccuracy };
  if (!(base.utility.testAccuracy > 0)) return notApplicable('n/a: the baseline has no test accuracy to compare with', inputs);
  const loss = 1 - e.utility.testAccuracy / base.utility.testAccuracy;
  const formula = `L(1 - testAccuracy / baselineTestAccuracy; ${UTILITY_POINTS.good}, ${UTILITY_POINTS.median})`;
  return scored(scoreValue(logNormalScore(loss, UTILITY_POINTS)), formula, { ...inputs, relativeLoss: loss });
}

export function costScore(e: ExperimentResult, base: ExperimentResult): Score {
  if (base.id === e.id) return notApplicable('n/a: this experiment is its own baseline, so it has no cost to compare', { baseline: base.id });
  const inputs = { trainingSeconds: e.costs.trainingSeconds, baseline: base.id, baselineTrainingSeconds: base.costs.trainingSeconds };
  if (!(base.costs.trainingSeconds > 0)) return notApplicable('n/a: the baseline has no training time to compare with', inputs);
  const ratio = e.costs.trainingSeconds / base.costs.trainingSeconds;
  const formula = `L(trainingSeconds / baselineTrainingSeconds - 1; ${COST_POINTS.good}, ${COST_POINTS.median})`;
  return scored(scoreValue(logNormalScore(ratio - 1, COST_POINTS)), formula, { ...inputs, ratio });
}

export function scoresOf(e: ExperimentResult, all: ExperimentResult[]): Scores {
  const base = baselineOf(e, all);
  return { privacy: privacyScore(e), utility: utilityScore(e, base), cost: costScore(e, base) };
}

/** Every experiment with its scores; run once all have finished, since baselines are peers. */
export function withScores(experiments: ExperimentResult[]): ExperimentResult[] {
  return experiments.map((e) => ({ ...e, scores: scoresOf(e, experiments) }));
}
