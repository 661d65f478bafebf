import { negModifiedEntropy } from './signals.js';
import { thresholdAttack } from './threshold.js';

/**
 * Song & Mittal 2021, "Systematic Evaluation of Privacy Risks of Machine Learning Models",
 * eq. 4: entropy that also uses the label, so a confident wrong prediction counts against
 * membership. Their strongest threshold attack.
 */
export const modifiedEntropy = thresholdAttack({
  id: 'modified-entropy',
  title: 'Modified entropy (Song & Mittal 2021)',
  description: 'Scores each record by the negated modified entropy of the output given its label.',
  threatModel: "Black box: the attacker queries the model's output probabilities and knows each record's label.",
  signal: (proba, r, c) => negModifiedEntropy(proba, r.y, c),
});
