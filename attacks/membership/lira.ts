import { z } from 'zod';
import { median, normalLogPdf } from '../../core/stats.js';
import { softmaxRows } from '../../targets/training/evaluate.js';
import type { MembershipAttackDefinition } from '../types.js';
import { membershipMatrix, referenceHalves, referenceModes } from './references.js';
import { logitScaledConfidence } from './signals.js';

const options = z
  .object({
    references: z.number().int().min(1).max(256).default(16),
    mode: referenceModes.default('online'),
    /**
     * `global` pools one variance over all records, `per-example` fits each record's own;
     * `auto` pools below 64 reference models, where Carlini et al. (§VI-B, Fig. 9) find that
     * per-example variances are too noisy.
     */
    variance: z.enum(['auto', 'global', 'per-example']).default('auto'),
  })
  .strict();

// Keeps a Gaussian fit finite when every reference model gives a record the same confidence.
const MIN_STD = 1e-3;

interface Fit {
  mean: Float64Array;
  variance: Float64Array;
}

/** Per-record median and variance of the values whose mask matches `wanted`. */
function fitGaussians(phi: Float64Array[], inside: Uint8Array[], n: number, wanted: 0 | 1): Fit {
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: number[] = [];
    for (let k = 0; k < phi.length; k++) if (inside[k][i] === wanted) v.push(phi[k][i]);
    if (v.length === 0) continue;
    const avg = v.reduce((s, x) => s + x, 0) / v.length;
    // Carlini et al.'s code centres on the median, which resists a diverged reference model.
    mean[i] = median(v);
    variance[i] = v.reduce((s, x) => s + (x - avg) ** 2, 0) / v.length;
  }
  return { mean, variance };
}

function stds(fit: Fit, pooled: boolean): (i: number) => number {
  if (!pooled) return (i) => Math.max(MIN_STD, Math.sqrt(fit.variance[i]));
  let s = 0;
  for (const v of fit.variance) s += v;
  const g = Math.max(MIN_STD, Math.sqrt(s / fit.variance.length));
  return () => g;
}

/**
 * LiRA, Carlini et al. 2022, "Membership Inference Attacks From First Principles". Reference
 * models trained like the target give, per record, the distribution of its logit-scaled
 * confidence when it was trained on (IN) and when it was not (OUT). Online: the score is the
 * Gaussian likelihood ratio of the target's confidence under IN vs OUT. Offline: no reference
 * model saw the record, and the score is a one-sided test against OUT alone (§IV-C).
 */
export const lira: MembershipAttackDefinition<typeof options> = {
  id: 'lira',
  title: 'LiRA (Carlini et al. 2022)',
  description: "Per-record likelihood ratio of the target's confidence under reference models trained with and without the record.",
  family: 'membership',
  threatModel:
    "Black box: the attacker queries the model's output probabilities, knows each record's label and the training recipe, " +
    'and trains reference models like the target on its own data (online: on halves of the candidates; offline: of its population).',
  requiredObservations: ['queryApi'],
  requiredOutput: 'probabilities',
  options,
  references: (o, facts) => referenceHalves('lira', o.mode, o.references, facts),
  async score({ target, candidates, references }, o) {
    if (!references) throw new Error('lira runs with reference models');
    const c = target.numClasses;
    const n = candidates.n;
    const observed = logitScaledConfidence(target.predict(candidates), candidates.y, c);
    const phi = references.candidates.map((logits) => logitScaledConfidence(softmaxRows(logits, c), candidates.y, c));
    const inside = membershipMatrix(references, 'candidates', n);
    const pooled = o.variance === 'global' || (o.variance === 'auto' && phi.length < 64);
    const out = fitGaussians(phi, inside, n, 0);
    const outStd = stds(out, pooled);
    const scores = new Float64Array(n);
    if (o.mode === 'offline') {
      for (let i = 0; i < n; i++) scores[i] = (observed[i] - out.mean[i]) / outStd(i);
    } else {
      const inn = fitGaussians(phi, inside, n, 1);
      const inStd = stds(inn, pooled);
      for (let i = 0; i < n; i++) {
        scores[i] = normalLogPdf(observed[i], inn.mean[i], inStd(i)) - normalLogPdf(observed[i], out.mean[i], outStd(i));
      }
    }
    const size = references.request.subsets[0].length;
    return {
      scores,
      notes: [`${phi.length} reference models (${o.mode}), each trained on ${size} records; ${pooled ? 'global' : 'per-example'} variance`],
    };
  },
};
