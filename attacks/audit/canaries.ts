import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { PlanFacts } from '../types.js';

/**
 * `m` of the auditor's population records, each given a label drawn at random: a record with
 * a random label is one the model can only fit by memorising it, which makes the canary's
 * presence as visible as it can be to a black-box test (Steinke et al. 2023 use the same).
 */
export function randomLabelCanaries(audit: string, m: number, facts: PlanFacts, rng: Rng): { indices: Int32Array; labels: Int32Array } {
  if (m > facts.population) {
    throw new InputError(`${audit} needs ${m} canaries from the population, which has ${facts.population} records; raise split.population or lower canaries`, {
      field: 'canaries',
    });
  }
  const indices = rng.permutation(facts.population).slice(0, m);
  const labels = Int32Array.from(indices, () => rng.int(facts.numClasses));
  return { indices, labels };
}
