import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { addScaled } from '../../targets/federated/vectors.js';
import { krumScores, lowest, requireKrumQuorum } from './krum-scores.js';
import type { RuleDefinition } from './types.js';

const options = z
  .object({
    /** Byzantine clients tolerated per round. */
    f: z.number().int().nonnegative().default(1),
    /** Updates averaged; default n - f, the most that excludes f outliers. */
    m: z.number().int().positive().optional(),
  })
  .strict();

/**
 * Multi-Krum (Blanchard et al. 2017, Sec. 5): the plain mean of the m updates with the lowest
 * Krum scores, trading Krum's variance for some of FedAvg's. m = 1 is Krum; needs n > 2f + 2
 * and m <= n - f.
 */
export const multiKrum: RuleDefinition<typeof options> = {
  kind: 'rule',
  id: 'multi-krum',
  title: 'Multi-Krum',
  description: 'Averages the m updates with the lowest Krum scores (Blanchard et al. 2017); needs n > 2f + 2 and m <= n - f.',
  options,
  create: ({ f, m }, field) => ({
    name: `multi-krum(f=${f}, m=${m ?? 'n-f'})`,
    needs: 'updates',
    serverSees: 'updates',
    async aggregate(updates) {
      const n = updates.length;
      requireKrumQuorum(n, f, field);
      const count = m ?? n - f;
      if (count > n - f) {
        throw new InputError(`multi-krum averages m=${count} of ${n} updates but must leave out f=${f}; lower m to at most ${n - f}`, { field: `${field}.m` });
      }
      const scores = krumScores(updates.map((u) => u.update), f);
      const chosen = lowest(scores, count).sort((a, b) => a - b);
      const sum = new Float64Array(updates[0].update.length);
      for (const i of chosen) addScaled(sum, updates[i].update, 1);
      return {
        update: Float32Array.from(sum, (v) => v / count),
        included: chosen.map((i) => updates[i].client),
        scores: new Map(updates.map((u, i) => [u.client, scores[i]])),
      };
    },
  }),
};
