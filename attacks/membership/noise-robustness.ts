import { z } from 'zod';
import type { Records } from '../../core/observations.js';
import type { Rng } from '../../core/rng.js';
import type { MembershipAttackDefinition } from '../types.js';
import { correctness } from './signals.js';

const options = z
  .object({
    /** Perturbed copies queried per record. */
    queries: z.number().int().min(1).max(1000).default(20),
    /** `flip` toggles binary features, `gaussian` adds noise; `auto` picks flip when every feature is 0 or 1. */
    noise: z.enum(['auto', 'flip', 'gaussian']).default('auto'),
    /** Flip probability, or the Gaussian standard deviation in units of each feature's spread. */
    scale: z.number().positive().optional(),
  })
  .strict();

const DEFAULT_SCALE = { flip: 0.05, gaussian: 0.3 } as const;

function isBinary(r: Records): boolean {
  return r.x.every((v) => v === 0 || v === 1);
}

/** Per-feature standard deviation over the attacker's own records. */
function featureStd(r: Records): Float64Array {
  const m = new Float64Array(r.d);
  const s = new Float64Array(r.d);
  for (let i = 0; i < r.n; i++) for (let j = 0; j < r.d; j++) m[j] += r.x[i * r.d + j] / r.n;
  for (let i = 0; i < r.n; i++) for (let j = 0; j < r.d; j++) s[j] += (r.x[i * r.d + j] - m[j]) ** 2 / r.n;
  return s.map(Math.sqrt);
}

function perturb(r: Records, kind: 'flip' | 'gaussian', scale: number, spread: Float64Array, rng: Rng): Records {
  const x = Float32Array.from(r.x);
  for (let i = 0; i < x.length; i++) {
    if (kind === 'flip') {
      if (rng.uniform() < scale) x[i] = 1 - x[i];
    } else x[i] += rng.normal() * scale * spread[i % r.d];
  }
  return { ...r, x };
}

/**
 * Label-only membership inference by robustness to noise (Choquette-Choo et al. 2021, "Label-
 * Only Membership Inference Attacks", §4): a model's decision around its training records is
 * more stable, so the score is how many noisy copies of a record it still labels correctly.
 */
export const noiseRobustness: MembershipAttackDefinition<typeof options> = {
  id: 'noise-robustness',
  title: 'Noise robustness, label only (Choquette-Choo et al. 2021)',
  description: 'Counts how many randomly perturbed copies of each record the model still labels correctly.',
  family: 'membership',
  threatModel:
    "Label only: the attacker sees only the model's predicted label, knows each record's label, and sends perturbed copies of it.",
  requiredObservations: ['queryApi'],
  requiredOutput: 'labels',
  options,
  async score({ target, candidates, population, rng }, o) {
    const kind = o.noise === 'auto' ? (isBinary(population) ? 'flip' : 'gaussian') : o.noise;
    const scale = o.scale ?? DEFAULT_SCALE[kind];
    const spread = featureStd(population);
    const robustness = (records: Records, stream: Rng) => {
      const c = target.numClasses;
      const total = correctness(target.predict(records), records.y, c);
      for (let q = 0; q < o.queries; q++) {
        const hits = correctness(target.predict(perturb(records, kind, scale, spread, stream)), records.y, c);
        for (let i = 0; i < records.n; i++) total[i] += hits[i];
      }
      return total;
    };
    return {
      scores: robustness(candidates, rng.fork('candidates')),
      populationScores: robustness(population, rng.fork('population')),
      notes: [`${o.queries} ${kind === 'flip' ? `bit-flip (p = ${scale})` : `Gaussian (${scale} x feature std)`} queries per record`],
    };
  },
};
