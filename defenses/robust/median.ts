import { z } from 'zod';
import { columnwise, minOf, select } from './columns.js';
import type { RuleDefinition } from './types.js';

const options = z.object({}).strict();

/** The median of col[from, from + n); the mean of the two middle values when n is even. */
function columnMedian(col: Float32Array, from: number, n: number): number {
  const k = from + ((n - 1) >> 1);
  select(col, from, from + n, k);
  return n % 2 === 1 ? col[k] : (col[k] + minOf(col, k + 1, from + n)) / 2;
}

/**
 * Coordinate-wise median (Yin et al. 2018, Def. 1): each coordinate of the aggregate is the
 * median of the clients' values there, unweighted. A minority of arbitrary updates cannot move
 * it past the honest values' range.
 */
export const median: RuleDefinition<typeof options> = {
  kind: 'rule',
  id: 'median',
  title: 'Coordinate-wise median',
  description: "Each coordinate is the median of the clients' values (Yin et al. 2018); robust to a minority of arbitrary updates.",
  options,
  create: () => ({
    name: 'median',
    needs: 'updates',
    serverSees: 'updates',
    async aggregate(updates) {
      return { update: columnwise(updates.map((u) => u.update), columnMedian), included: updates.map((u) => u.client) };
    },
  }),
};
