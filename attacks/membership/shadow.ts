import { z } from 'zod';
import type { Records } from '../../core/observations.js';
import { softmaxRows } from '../../targets/training/evaluate.js';
import type { MembershipAttackDefinition } from '../types.js';
import { membershipMatrix, referenceHalves } from './references.js';

const options = z
  .object({
    /** Shadow models, trained like the target on halves of the attacker's population. */
    references: z.number().int().min(1).max(256).default(4),
    /** A class needs this many shadow records of each kind (IN and OUT) for a model of its own. */
    minPerClass: z.number().int().min(2).default(10),
    /** L2 penalty of the logistic attack models. */
    l2: z.number().nonnegative().default(0.01),
  })
  .strict();

const LOG_FLOOR = -30;
const TOP = 10;

/** Clamped log-probabilities: the attack model's view of one output vector. */
function logProbs(proba: Float64Array, i: number, c: number): number[] {
  return Array.from({ length: c }, (_, k) => Math.max(LOG_FLOOR, Math.log(proba[i * c + k])));
}

/** Label-agnostic features for the all-class model: the top log-probabilities, then log p_y. */
function globalFeatures(proba: Float64Array, i: number, c: number, label: number): number[] {
  const lp = logProbs(proba, i, c);
  const top = [...lp].sort((a, b) => b - a).slice(0, Math.min(TOP, c));
  return [...top, lp[label]];
}

interface Logistic {
  predict(x: number[]): number;
}

/**
 * L2-regularised logistic regression by full-batch gradient descent with Nesterov momentum on
 * standardised features. Shokri et al. used small networks; with tens of shadow records per
 * class a linear model is what the data supports, and it trains deterministically in
 * milliseconds.
 */
function fitLogistic(xs: number[][], ys: number[], l2: number, iterations = 150, lr = 0.5, momentum = 0.9): Logistic {
  const d = xs[0].length;
  const n = xs.length;
  const mu = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const x of xs) for (let j = 0; j < d; j++) mu[j] += x[j] / n;
  for (const x of xs) for (let j = 0; j < d; j++) sd[j] += (x[j] - mu[j]) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const z = new Float64Array(n * d);
  xs.forEach((x, i) => {
    for (let j = 0; j < d; j++) z[i * d + j] = (x[j] - mu[j]) / sd[j];
  });
  // Weights and bias in one vector (bias last), with their velocity.
  const w = new Float64Array(d + 1);
  const v = new Float64Array(d + 1);
  const ahead = new Float64Array(d + 1);
  const g = new Float64Array(d + 1);
  for (let it = 0; it < iterations; it++) {
    for (let j = 0; j <= d; j++) ahead[j] = w[j] + momentum * v[j];
    g.fill(0);
    for (let i = 0; i < n; i++) {
      let t = ahead[d];
      for (let j = 0; j < d; j++) t += ahead[j] * z[i * d + j];
      const err = 1 / (1 + Math.exp(-t)) - ys[i];
      for (let j = 0; j < d; j++) g[j] += err * z[i * d + j];
      g[d] += err;
    }
    for (let j = 0; j <= d; j++) {
      v[j] = momentum * v[j] - lr * (g[j] / n + (j < d ? l2 * ahead[j] : 0));
      w[j] += v[j];
    }
  }
  return {
    predict(x) {
      let t = w[d];
      for (let j = 0; j < d; j++) t += (w[j] * (x[j] - mu[j])) / sd[j];
      return 1 / (1 + Math.exp(-t));
    },
  };
}

/**
 * The shadow-model attack, Shokri et al. 2017, "Membership Inference Attacks Against Machine
 * Learning Models": shadow models trained like the target on the attacker's data produce
 * outputs on records they did and did not train on; an attack model per class learns to tell
 * the two apart, and is then applied to the target's outputs.
 */
export const shadow: MembershipAttackDefinition<typeof options> = {
  id: 'shadow',
  title: 'Shadow models (Shokri et al. 2017)',
  description: 'Per-class attack classifiers trained on the in/out outputs of shadow models, applied to the target.',
  family: 'membership',
  threatModel:
    "Black box: the attacker queries the model's output probabilities, knows each record's label and the training recipe, " +
    'and trains shadow models like the target on halves of its own population data.',
  requiredObservations: ['queryApi'],
  requiredOutput: 'probabilities',
  options,
  references: (o, facts) => referenceHalves('shadow', 'offline', o.references, facts),
  async score({ target, candidates, population, references }, o) {
    if (!references) throw new Error('shadow runs with shadow models');
    const c = target.numClasses;
    const inside = membershipMatrix(references, 'population', population.n);
    const perClass = Array.from({ length: c }, () => ({ xs: [] as number[][], ys: [] as number[] }));
    const all = { xs: [] as number[][], ys: [] as number[] };
    references.population.forEach((logits, k) => {
      const proba = softmaxRows(logits, c);
      for (let i = 0; i < population.n; i++) {
        const label = population.y[i];
        perClass[label].xs.push(logProbs(proba, i, c));
        perClass[label].ys.push(inside[k][i]);
        all.xs.push(globalFeatures(proba, i, c, label));
        all.ys.push(inside[k][i]);
      }
    });
    const fallback = fitLogistic(all.xs, all.ys, o.l2);
    let own = 0;
    const models = perClass.map(({ xs, ys }) => {
      const ins = ys.reduce((s, v) => s + v, 0);
      if (ins < o.minPerClass || ys.length - ins < o.minPerClass) return undefined;
      own++;
      return fitLogistic(xs, ys, o.l2);
    });
    const apply = (records: Records) => {
      const proba = target.predict(records);
      return Float64Array.from({ length: records.n }, (_, i) => {
        const m = models[records.y[i]];
        return m ? m.predict(logProbs(proba, i, c)) : fallback.predict(globalFeatures(proba, i, c, records.y[i]));
      });
    };
    return {
      scores: apply(candidates),
      notes: [
        `${references.population.length} shadow models, each trained on ${references.request.subsets[0].length} population records; ` +
          `${own} of ${c} classes have their own attack model, the rest share one`,
      ],
    };
  },
};
