import { z } from 'zod';
import type { Records } from '../../core/observations.js';
import type { MembershipAttackDefinition } from '../types.js';

/** A signal computed from the target's output on records (float64 probabilities, row-major). */
export type Signal = (proba: Float64Array, records: Records, numClasses: number) => Float64Array;

const options = z.object({}).strict();

/**
 * A single-signal threshold attack. The ROC covers every threshold; the harness also reports
 * the operating point a real attacker gets by setting the threshold on its own population
 * records (known non-members), never on the target's members.
 */
export function thresholdAttack(meta: {
  id: string;
  title: string;
  description: string;
  threatModel: string;
  requiredOutput?: 'probabilities' | 'labels';
  signal: Signal;
}): MembershipAttackDefinition<typeof options> {
  const { signal, requiredOutput = 'probabilities', ...rest } = meta;
  return {
    ...rest,
    family: 'membership',
    requiredObservations: ['queryApi'],
    requiredOutput,
    options,
    async score({ target, candidates, population }) {
      const c = target.numClasses;
      return {
        scores: signal(target.predict(candidates), candidates, c),
        populationScores: signal(target.predict(population), population, c),
      };
    },
  };
}
