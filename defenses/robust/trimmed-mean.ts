import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { columnwise, select } from './columns.js';
import type { RuleDefinition } from './types.js';

const options = z
  .object({
    /** Fraction trimmed from each end of every coordinate. */
    beta: z.number().min(0).max(0.5).default(0.1),
  })
  .strict();

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018, Def. 2): per coordinate, drop the
 * b = floor(beta n) largest and b smallest values and average the rest, unweighted. Needs
 * 2b < n, so something is left to average.
 */
export const trimmedMean: RuleDefinition<typeof options> = {
  kind: 'rule',
  id: 'trimmed-mean',
  title: 'Coordinate-wise trimmed mean',
  description: 'Per coordinate, the mean after dropping the beta fraction of largest and of smallest values (Yin et al. 2018).',
  options,
  create: ({ beta }, field) => ({
    name: `trimmed-mean(beta=${beta})`,
    needs: 'updates',
    serverSees: 'updates',
    async aggregate(updates) {
      const n = updates.length;
      const b = Math.floor(beta * n);
      if (2 * b >= n) {
        throw new InputError(`trimming ${b} of ${n} updates from each end leaves none to average; lower beta below 0.5 or sample more clients`, {
          field: `${field}.beta`,
        });
      }
      const trimmed = (col: Float32Array, from: number, count: number): number => {
        const end = from + count;
        select(col, from, end, from + b);
        select(col, from + b, end, end - b - 1);
        let s = 0;
        for (let i = from + b; i < end - b; i++) s += col[i];
        return s / (count - 2 * b);
      };
      return { update: columnwise(updates.map((u) => u.update), trimmed), included: updates.map((u) => u.client) };
    },
  }),
};
