import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { SplitSizes, Splits } from './types.js';

const KEYS = ['members', 'nonMembers', 'population', 'test'] as const satisfies readonly (keyof Splits)[];

/** Sizes a suite left out default to a quarter of the records each. */
export function resolveSplitSizes(n: number, partial: Partial<SplitSizes> = {}): SplitSizes {
  const quarter = Math.floor(n / 4);
  return {
    members: partial.members ?? quarter,
    nonMembers: partial.nonMembers ?? quarter,
    population: partial.population ?? quarter,
    test: partial.test ?? quarter,
  };
}

/** Disjoint random index sets of exactly the requested sizes, cut from one permutation of 0..n-1. */
export function splitDataset(n: number, sizes: SplitSizes, rng: Rng): Splits {
  for (const key of KEYS) {
    if (!Number.isInteger(sizes[key]) || sizes[key] < 0) {
      throw new InputError(`split size must be a whole number >= 0, got ${sizes[key]}`, { field: `split.${key}` });
    }
  }
  const total = KEYS.reduce((sum, key) => sum + sizes[key], 0);
  if (total > n) {
    const parts = KEYS.map((key) => `${key} ${sizes[key]}`).join(' + ');
    throw new InputError(
      `split sizes add up to ${total} (${parts}) but the dataset has only ${n} records; ` +
        `lower the split sizes so they sum to at most ${n}, or load more records`,
      { field: 'split' },
    );
  }
  const perm = rng.permutation(n);
  let start = 0;
  const take = (size: number): Int32Array => {
    const part = perm.slice(start, start + size);
    start += size;
    return part;
  };
  return {
    members: take(sizes.members),
    nonMembers: take(sizes.nonMembers),
    population: take(sizes.population),
    test: take(sizes.test),
  };
}
