import { negEntropy } from './signals.js';
import { thresholdAttack } from './threshold.js';

/** Salem et al. 2019; Song & Mittal 2021 §3: low prediction entropy suggests a training record. */
export const entropy = thresholdAttack({
  id: 'entropy',
  title: 'Prediction entropy (Salem et al. 2019)',
  description: "Scores each record by the negated entropy of the model's output; members get sharper outputs.",
  threatModel: "Black box: the attacker queries the model's output probabilities; it needs no labels.",
  signal: (proba, r, c) => negEntropy(proba, r.n, c),
});
