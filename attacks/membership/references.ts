import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { PlanFacts, ReferenceOutputs, ReferenceRequest } from '../types.js';

export const referenceModes = z.enum(['online', 'offline']);
export type ReferenceMode = z.infer<typeof referenceModes>;

/**
 * Reference training sets as complementary random halves of a pool, pair by pair: models 2j
 * and 2j+1 split one permutation, so with an even count every record is in exactly half of the
 * models (Carlini et al. 2022, §VI-A). Online, the pool is the candidates themselves, whose
 * halves match the target's training set size when members and non-members are equal in
 * number; offline it is the attacker's population, so no reference model saw a candidate.
 * Pair j depends only on the pool and j, so an attack with 2 models reuses the first 2 of
 * another's 16 and the runner trains them once.
 */
export function referenceHalves(attack: string, mode: ReferenceMode, count: number, facts: PlanFacts): ReferenceRequest {
  const pool = mode === 'online' ? 'candidates' : 'population';
  const n = mode === 'online' ? facts.candidates : facts.population;
  const half = Math.floor(n / 2);
  if (mode === 'online' && count % 2 !== 0) {
    throw new InputError(`${attack} online needs an even number of reference models (each record is in exactly half), got ${count}`, {
      field: 'references',
    });
  }
  if (half * 2 < facts.trainingSize) {
    const need = mode === 'online' ? 'split.nonMembers to match split.members' : `split.population to at least ${facts.trainingSize}`;
    throw new InputError(
      `${attack} ${mode} trains each reference model on half of the ${pool} (${half} records), fewer than half ` +
        `the target's ${facts.trainingSize} training records, so the references would not behave like the target; raise ${need}`,
      { field: 'references' },
    );
  }
  const subsets: Int32Array[] = [];
  for (let j = 0; subsets.length < count; j++) {
    const perm = facts.rng.fork(`${pool}/pair/${j}`).permutation(n);
    subsets.push(perm.slice(0, half).sort());
    if (subsets.length < count) subsets.push(perm.slice(half, 2 * half).sort());
  }
  return { pool, subsets };
}

/**
 * inside[k][i]: whether record i of the pool trained reference model k; for the other record
 * set, never.
 */
export function membershipMatrix(refs: ReferenceOutputs, which: 'candidates' | 'population', n: number): Uint8Array[] {
  return refs.request.subsets.map((subset) => {
    const m = new Uint8Array(n);
    if (refs.request.pool === which) for (const i of subset) m[i] = 1;
    return m;
  });
}
