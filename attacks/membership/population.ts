import { z } from 'zod';
import { lowerBound } from '../../core/stats.js';
import { negLoss, rankLexicographic } from './signals.js';
import type { MembershipAttackDefinition } from '../types.js';

const options = z
  .object({
    /** Classes with fewer population records than this share the all-class distribution. */
    minPerClass: z.number().int().min(1).default(20),
  })
  .strict();

/** Ascending copy. */
function sorted(v: ArrayLike<number>): Float64Array {
  return Float64Array.from(v).sort();
}

/** How many values of the ascending array are >= s. */
const countAtLeast = (asc: Float64Array, s: number): number => asc.length - lowerBound(asc, s);

/**
 * Ye et al. 2022, "Enhanced Membership Inference Attacks against Machine Learning Models",
 * attack P: the attacker measures the target's loss on its own population records (known
 * non-members) and flags a record whose loss is rarer than a chosen false-positive rate. The
 * distribution is taken per class (Song & Mittal 2021's class-dependent thresholds), because
 * easy classes have low loss whether or not a record was trained on.
 */
export const population: MembershipAttackDefinition<typeof options> = {
  id: 'population',
  title: 'Population attack (Ye et al. 2022, attack P)',
  description: "Compares each record's loss with the loss the target gives the attacker's own records of the same class.",
  family: 'membership',
  threatModel:
    "Black box: the attacker queries the model's output probabilities, knows each record's label, and holds population records known not to be members.",
  requiredObservations: ['queryApi'],
  requiredOutput: 'probabilities',
  options,
  async score({ target, candidates, population: pop }, o) {
    const c = target.numClasses;
    const popSignal = negLoss(target.predict(pop), pop.y, c);
    const all = sorted(popSignal);
    const byClass = Array.from({ length: c }, (_, k) => sorted(popSignal.filter((_, i) => pop.y[i] === k)));
    const reference = (label: number) => (byClass[label].length >= o.minPerClass ? byClass[label] : all);
    // The score is minus the estimated false-positive rate at the record's own loss; among
    // records rarer than every population record, the loss itself breaks the tie.
    const fpr = (s: number, label: number, self: number): number => {
      const ref = reference(label);
      return (countAtLeast(ref, s) - self + 1) / (ref.length - self + 1);
    };
    const candSignal = negLoss(target.predict(candidates), candidates.y, c);
    // A population record is left out of its own reference distribution (self = 1).
    const neg = [...candSignal.map((s, i) => -fpr(s, candidates.y[i], 0)), ...popSignal.map((s, i) => -fpr(s, pop.y[i], 1))];
    const ranked = rankLexicographic(neg, [...candSignal, ...popSignal]);
    return { scores: ranked.subarray(0, candidates.n), populationScores: ranked.subarray(candidates.n) };
  },
};
