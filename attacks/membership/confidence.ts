import { maxConfidence } from './signals.js';
import { thresholdAttack } from './threshold.js';

/**
 * Salem et al. 2019 (ML-Leaks, adversary 3): the model is more confident on what it trained
 * on. Needs no label, so it also fits an attacker who holds records without ground truth.
 */
export const confidence = thresholdAttack({
  id: 'confidence',
  title: 'Confidence threshold (Salem et al. 2019)',
  description: "Scores each record by the model's highest output probability; members get more confident outputs.",
  threatModel: "Black box: the attacker queries the model's output probabilities; it needs no labels.",
  signal: (proba, r, c) => maxConfidence(proba, r.n, c),
});
