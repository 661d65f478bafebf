import { negLoss } from './signals.js';
import { thresholdAttack } from './threshold.js';

/**
 * Yeom et al. 2018, "Privacy Risk in Machine Learning": training records tend to have lower
 * loss, so the score is the negated cross-entropy loss of the target's output on the true label.
 */
export const lossThreshold = thresholdAttack({
  id: 'loss-threshold',
  title: 'Loss threshold (Yeom et al. 2018)',
  description: "Scores each record by the target model's loss on its true label; members tend to have lower loss.",
  threatModel: "Black box: the attacker queries the model's output probabilities and knows each record's label.",
  signal: (proba, r, c) => negLoss(proba, r.y, c),
});
