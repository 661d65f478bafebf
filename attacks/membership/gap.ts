import { correctness } from './signals.js';
import { thresholdAttack } from './threshold.js';

/**
 * The gap attack (Yeom et al. 2018; the label-only baseline of Choquette-Choo et al. 2021):
 * guess "member" exactly when the model classifies the record correctly. Its advantage is
 * the train-test accuracy gap.
 */
export const gap = thresholdAttack({
  id: 'gap',
  title: 'Gap attack, label only (Yeom et al. 2018)',
  description: 'Predicts "member" for every record the model labels correctly.',
  threatModel: "Label only: the attacker sees only the model's predicted label and knows each record's label.",
  requiredOutput: 'labels',
  signal: (proba, r, c) => correctness(proba, r.y, c),
});
