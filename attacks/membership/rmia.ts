import { z } from 'zod';
import { auc, roc, tprAtFpr } from '../../core/metrics.js';
import type { Records } from '../../core/observations.js';
import { lowerBound } from '../../core/stats.js';
import { softmaxRows } from '../../targets/training/evaluate.js';
import type { MembershipAttackDefinition } from '../types.js';
import { membershipMatrix, referenceHalves, referenceModes } from './references.js';
import { rankLexicographic } from './signals.js';

const options = z
  .object({
    references: z.number().int().min(1).max(256).default(4),
    mode: referenceModes.default('offline'),
    /** A candidate beats a population record z when its likelihood ratio exceeds z's by this factor. */
    gamma: z.number().positive().default(2),
    /** Offline scaling of Pr(x) from OUT models; `auto` fits it on the reference models. */
    a: z.union([z.literal('auto'), z.number().min(0).max(1)]).default('auto'),
    /**
     * Pr(x | model) is the true label's softmax at this temperature. Above 1 it keeps records
     * the model fits with near certainty apart (the paper's and LeakPro's practice).
     */
    temperature: z.number().positive().default(2),
  })
  .strict();

// ML Privacy Meter's default, used when there are too few reference models to fit `a`.
const DEFAULT_A = 0.3;
const A_GRID = Array.from({ length: 21 }, (_, i) => i / 20);

/** The true label's probability after softmax at temperature t, from probabilities: p^(1/t) renormalised. */
function tempered(proba: Float64Array, labels: ArrayLike<number>, c: number, t: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, Math.log(proba[i * c + k]) / t);
    let sum = 0;
    for (let k = 0; k < c; k++) sum += Math.exp(Math.log(proba[i * c + k]) / t - max);
    out[i] = Math.exp(Math.log(proba[i * c + labels[i]]) / t - max) / sum;
  }
  return out;
}

/**
 * Pr(r), the record's probability under models trained on random data. Where the record is
 * IN exactly half of the paired models, their mean is that marginal. Otherwise only OUT models
 * exist, whose mean underestimates it, and RMIA's offline correction applies (Zarifzadeh et
 * al. 2024, §4): Pr(r) = ((1 + a) Pr_OUT(r) + (1 - a)) / 2. NaN when no model qualifies.
 */
function marginals(p: Float64Array[], inside: Uint8Array[], balanced: boolean, a: number, skip = -1): Float64Array {
  const n = p[0].length;
  const paired = p.length - (p.length % 2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (balanced && paired >= 2 && skip < 0) {
      let s = 0;
      for (let k = 0; k < paired; k++) s += p[k][i];
      out[i] = s / paired;
      continue;
    }
    let s = 0;
    let m = 0;
    for (let k = 0; k < p.length; k++) {
      if (k !== skip && !inside[k][i]) {
        s += p[k][i];
        m++;
      }
    }
    out[i] = m ? ((1 + a) * (s / m) + (1 - a)) / 2 : NaN;
  }
  return out;
}

/**
 * Fits `a` as the paper suggests: treat reference model t as the target and the others as its
 * references, and keep the `a` under which the OUT-only estimate of Pr(x) best separates t's
 * members from its non-members. t's non-members include the attacker's records no reference
 * model saw (the candidates, offline), so two models suffice. The objective is TPR at 1% FPR,
 * the low-FPR regime the attack is judged on, averaged over up to four choices of t.
 */
function fitA(pool: Float64Array[], inside: Uint8Array[], outside: Float64Array[]): number | undefined {
  if (pool.length < 2) return undefined;
  const never = outside.map((p) => new Uint8Array(p.length));
  let best: { a: number; objective: number } | undefined;
  for (const a of A_GRID) {
    let total = 0;
    let trials = 0;
    for (let t = 0; t < Math.min(4, pool.length); t++) {
      const scores: number[] = [];
      const labels: boolean[] = [];
      marginals(pool, inside, false, a, t).forEach((v, i) => {
        if (Number.isNaN(v)) return;
        scores.push(pool[t][i] / v);
        labels.push(inside[t][i] === 1);
      });
      marginals(outside, never, false, a, t).forEach((v, i) => {
        scores.push(outside[t][i] / v);
        labels.push(false);
      });
      if (!labels.includes(true) || !labels.includes(false)) continue;
      const r = roc(scores, labels);
      total += tprAtFpr(r, 0.01) + auc(r) / 1000;
      trials++;
    }
    if (trials && (!best || total / trials > best.objective)) best = { a, objective: total / trials };
  }
  return best?.a;
}

/**
 * RMIA, Zarifzadeh et al. 2024, "Low-Cost High-Power Membership Inference Attacks". The
 * likelihood ratio Pr(x | target) / Pr(x) of a candidate is compared with the same ratio of
 * many population records z; the score is the share of z it beats by a factor gamma. Pairwise
 * comparison against population data makes it strong with 1-4 reference models.
 */
export const rmia: MembershipAttackDefinition<typeof options> = {
  id: 'rmia',
  title: 'RMIA (Zarifzadeh et al. 2024)',
  description: "Compares each record's likelihood ratio under the target with that of the attacker's population records.",
  family: 'membership',
  threatModel:
    "Black box: the attacker queries the model's output probabilities, knows each record's label and the training recipe, " +
    'holds population records, and trains a few reference models like the target (offline: on halves of its population).',
  requiredObservations: ['queryApi'],
  requiredOutput: 'probabilities',
  options,
  references: (o, facts) => referenceHalves('rmia', o.mode, o.references, facts),
  async score({ target, candidates, population, references }, o) {
    if (!references) throw new Error('rmia runs with reference models');
    const c = target.numClasses;
    const pr = (proba: Float64Array, r: Records) => tempered(proba, r.y, c, o.temperature);
    const refCand = references.candidates.map((l) => pr(softmaxRows(l, c), candidates));
    const refPop = references.population.map((l) => pr(softmaxRows(l, c), population));
    const inCand = membershipMatrix(references, 'candidates', candidates.n);
    const inPop = membershipMatrix(references, 'population', population.n);
    const online = references.request.pool === 'candidates';
    const fitted = o.a === 'auto' ? (online ? fitA(refCand, inCand, refPop) : fitA(refPop, inPop, refCand)) : o.a;
    const a = fitted ?? DEFAULT_A;

    const ratio = (p: Float64Array, pr: Float64Array) => p.map((v, i) => v / pr[i]);
    const candRatio = ratio(pr(target.predict(candidates), candidates), marginals(refCand, inCand, online, a));
    const popRatio = ratio(pr(target.predict(population), population), marginals(refPop, inPop, !online, a))
      .filter((v) => !Number.isNaN(v))
      .sort();
    if (popRatio.length === 0) throw new Error('rmia: no population record has an OUT reference model');
    // lowerBound counts the z whose ratio is below the candidate's (divided by gamma).
    const beaten = candRatio.map((r) => lowerBound(popRatio, r / o.gamma) / popRatio.length);
    return {
      scores: rankLexicographic(beaten, candRatio),
      notes: [
        `${refCand.length} reference models (${online ? 'online' : 'offline'}), ${popRatio.length} population records z, gamma ${o.gamma}, temperature ${o.temperature}, ` +
          `a ${a}${o.a === 'auto' ? (fitted === undefined ? ' (default: fitting a needs 2 reference models)' : ' (fitted on the reference models)') : ''}`,
      ],
    };
  },
};
