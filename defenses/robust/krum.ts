import { z } from 'zod';
import { krumScores, lowest, requireKrumQuorum } from './krum-scores.js';
import type { RuleDefinition } from './types.js';

const options = z
  .object({
    /** Byzantine clients tolerated per round. */
    f: z.number().int().nonnegative().default(1),
  })
  .strict();

/**
 * Krum (Blanchard et al. 2017, Sec. 4): the one update whose n - f - 2 nearest neighbours are
 * closest, applied as it is. Robust to f Byzantine clients among n > 2f + 2, at the price of
 * discarding every other honest update.
 */
export const krum: RuleDefinition<typeof options> = {
  kind: 'rule',
  id: 'krum',
  title: 'Krum',
  description: 'Selects the single update closest to its n - f - 2 nearest neighbours (Blanchard et al. 2017); needs n > 2f + 2.',
  options,
  create: ({ f }, field) => ({
    name: `krum(f=${f})`,
    needs: 'updates',
    serverSees: 'updates',
    async aggregate(updates) {
      requireKrumQuorum(updates.length, f, field);
      const scores = krumScores(updates.map((u) => u.update), f);
      const [best] = lowest(scores, 1);
      return {
        update: Float32Array.from(updates[best].update),
        included: [updates[best].client],
        scores: new Map(updates.map((u, i) => [u.client, scores[i]])),
      };
    },
  }),
};
