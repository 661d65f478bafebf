import { z } from 'zod';
import type { MembershipAttackDefinition } from '../types.js';

const options = z.object({}).strict();

/**
 * Yeom et al. 2018, "Privacy Risk in Machine Learning": training records tend to have lower
 * loss, so the score is the negated cross-entropy loss of the target's output on the true label.
 */
export const lossThreshold: MembershipAttackDefinition<typeof options> = {
  id: 'loss-threshold',
  title: 'Loss threshold (Yeom et al. 2018)',
  description: "Scores each record by the target model's loss on its true label; members tend to have lower loss.",
  family: 'membership',
  threatModel: "Black box: the attacker queries the model's output probabilities and knows each record's label.",
  requiredObservations: ['queryApi'],
  requiredOutput: 'probabilities',
  options,
  async score({ target, candidates }) {
    const proba = target.predict(candidates);
    const c = target.numClasses;
    const scores = new Float64Array(candidates.n);
    for (let i = 0; i < candidates.n; i++) {
      scores[i] = Math.log(Math.max(proba[i * c + candidates.y[i]], 1e-12));
    }
    return scores;
  },
};
