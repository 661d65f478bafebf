import { gateCounts, tally } from '../core/gate-status.js';
import type { AttackResult, Band, ExperimentResult, Results, Scores } from '../core/results.js';
import { privacyTerms, withScores } from '../core/scores.js';
import { AUC, inWords, percent, pp, scoreText, seconds, TPR_AT_01 } from './format.js';

/**
 * The report's sentences for people who do not read ROC curves: what an attacker can do, what
 * the model still gets right, what it costs, and whether to ship. No ML vocabulary here; the
 * detail sections carry the metrics.
 */

/** Guessing flags 0.1% of members at 0.1% false positives; up to 1.5x that is noise. */
const NEAR_CHANCE = 1.5e-3;

/**
 * The attack that leaks most: highest TPR at 0.1% FPR, then highest AUC (Carlini et al. 2022:
 * the low-FPR rate, not AUC, says whether anyone can be singled out). Attacks reporting neither
 * (poisoning, for one) are not ranked.
 */
export function strongestAttack(attacks: AttackResult[]): AttackResult | undefined {
  const key = (a: AttackResult): [number, number] => [a.metrics[TPR_AT_01]?.value ?? -1, a.metrics[AUC]?.value ?? -1];
  let best: AttackResult | undefined;
  for (const a of attacks) {
    const [t, u] = key(a);
    if (t < 0 && u < 0) continue;
    const b = best && key(best);
    if (!b || t > b[0] || (t === b[0] && u > b[1])) best = a;
  }
  return best;
}

/** An experiment whose scores are known. */
export type ScoredExperiment = ExperimentResult & { scores: Scores };

/** Scores as stored by the run; computed here for a results.json written before runs stored them. */
export function scoredExperiments(r: Results): ScoredExperiment[] {
  const all = r.experiments.every((e) => e.scores) ? r.experiments : withScores(r.experiments);
  return all.map((e) => ({ ...e, scores: e.scores! }));
}

/** "An attacker can tell, for 59 in 100 training records, that they were used ..." */
export function privacyFinding(e: ExperimentResult): string {
  const terms = privacyTerms(e);
  const tpr = terms.find((t) => t.metric === TPR_AT_01);
  if (tpr) {
    if (tpr.value <= NEAR_CHANCE) {
      return 'An attacker cannot tell which records trained the model any better than guessing, when it may wrongly accuse only 1 in 1,000 others.';
    }
    return `An attacker can tell, for ${inWords(tpr.value)} training records, that they were used to train the model, while wrongly accusing only 1 in 1,000 others.`;
  }
  const eps = terms.find((t) => t.metric === 'epsilonLowerBound');
  if (eps) {
    return `An attack proves that using a record for training changes the model’s answers about it by a factor of at least ${Math.exp(eps.value).toFixed(1)}.`;
  }
  return 'No attack measured how much this model reveals about its training records.';
}

export function utilityFinding(e: ExperimentResult, all: ExperimentResult[]): string {
  const s = e.scores?.utility;
  const base = all.find((o) => o.id === s?.inputs.baseline && o.seed === e.seed);
  const acc = `Correct on ${percent(e.utility.testAccuracy)} of records it never saw`;
  if (!s || s.value === null || !base) return `${acc}; no baseline to compare with.`;
  if (base.id === e.id) return `${acc}; as the plain model, it is the baseline for utility.`;
  const diff = e.utility.testAccuracy - base.utility.testAccuracy;
  const dir = diff < 0 ? 'below' : 'above';
  return `${acc}, ${pp(Math.abs(diff)).replace(' pp', ' points')} ${dir} the plain model “${base.name}” (${percent(base.utility.testAccuracy)}).`;
}

export function costFinding(e: ExperimentResult): string {
  const s = e.scores?.cost;
  const ratio = s?.inputs.ratio;
  const trained = `Training took ${seconds(e.costs.trainingSeconds)}`;
  if (typeof ratio !== 'number') return `${trained}; ${s?.inputs.baseline === e.id ? 'as the plain model, it is the baseline for cost' : 'no baseline to compare with'}.`;
  const baseSeconds = seconds(Number(s?.inputs.baselineTrainingSeconds));
  if (ratio <= 1) return `${trained}, no longer than the plain model’s ${baseSeconds}.`;
  return `${trained}, ${ratio.toFixed(1)} times the plain model’s ${baseSeconds}.`;
}

export interface Verdict {
  tone: Band;
  /** A few words: the answer to "can we ship this?". */
  headline: string;
  /** One sentence on leakage across the configurations. */
  leak: string;
  /** The best configuration tested and what it costs; absent when nothing was scored. */
  best?: string;
  gates: string;
}

const HEADLINES: Record<Band, string> = {
  poor: 'Not safe to ship as tested',
  average: 'Review before shipping',
  good: 'No significant leak found',
  'n/a': 'No privacy verdict',
};

/**
 * The cover's answer: a failed error-level gate or a poor privacy score means "not safe"; an
 * average score or a gate warning means "review"; only good scores everywhere mean "no leak".
 */
export function verdict(r: Results): Verdict {
  const experiments = scoredExperiments(r);
  const scored = experiments.filter((e) => e.scores.privacy.value !== null);
  const counts = gateCounts(r.gates ?? []);
  const leaky = scored.filter((e) => e.scores.privacy.band !== 'good');
  const tone: Band =
    counts.FAIL > 0 || scored.some((e) => e.scores.privacy.band === 'poor')
      ? 'poor'
      : leaky.length || counts.WARN > 0
        ? 'average'
        : scored.length
          ? 'good'
          : 'n/a';
  const n = experiments.length;
  const configs = `${n} configuration${n === 1 ? '' : 's'}`;
  const gates = r.gates ? `Gates: ${tally(r.gates)}.` : 'No gates configured.';
  if (!scored.length) return { tone, headline: HEADLINES[tone], leak: `No attack measured leakage in the ${configs} tested.`, gates };

  const worst = scored.reduce((w, e) => (e.scores.privacy.value! < w.scores.privacy.value! ? e : w));
  const finding = privacyFinding(worst);
  const leak = leaky.length
    ? `In ${leaky.length} of ${configs} an attacker can single out training records. Worst, “${worst.name}”: ${lowerFirst(finding)}`
    : `In none of the ${configs} tested could an attack single out training records. ${finding}`;
  // The best option: the most private, then the most useful, then the most accurate.
  const best = scored.reduce((b, e) => (rank(e) > rank(b) ? e : b));
  const s = best.scores;
  const bestText =
    `${n > 1 ? `${s.privacy.band === 'poor' ? 'Even the best' : 'Best'} option tested, “${best.name}”, scores` : 'Scores out of 100:'} privacy ${scoreText(s.privacy.value)}, utility ${scoreText(s.utility.value)}` +
    ` and cost ${scoreText(s.cost.value)}${n > 1 ? ' out of 100' : ''}: it is correct on ${percent(best.utility.testAccuracy)} of records it never saw` +
    ` and trained in ${seconds(best.costs.trainingSeconds)}.`;
  return { tone, headline: HEADLINES[tone], leak, best: bestText, gates };
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const rank = (e: ScoredExperiment): number =>
  (e.scores.privacy.value ?? 0) * 1e6 + (e.scores.utility.value ?? 0) * 1e3 + e.utility.testAccuracy;
