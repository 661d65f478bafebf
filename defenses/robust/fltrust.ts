import { z } from 'zod';
import { addScaled, dot, l2Norm } from '../../targets/federated/vectors.js';
import type { RuleDefinition } from './types.js';

const options = z.object({}).strict();

/**
 * FLTrust (Cao et al. 2021, Alg. 1): the server trains on its own small clean root dataset
 * too, and trusts each client by how well its update points the server's way. Trust score
 * TS_i = ReLU(cos(g_i, g_0)); each update is rescaled to the server update's norm (so a large
 * one gains nothing by size); the aggregate is sum_i TS_i |g_0|/|g_i| g_i / sum_i TS_i. When no
 * client earns trust, the aggregate is zero and the model stays.
 */
export const fltrust: RuleDefinition<typeof options> = {
  kind: 'rule',
  id: 'fltrust',
  title: 'FLTrust',
  description: "Weights each update by the ReLU of its cosine with the server's root-dataset update, rescaled to that update's norm (Cao et al. 2021).",
  options,
  create: () => ({
    name: 'fltrust',
    needs: 'updates',
    serverSees: 'updates',
    async aggregate(updates, ctx) {
      const g0 = await ctx.serverUpdate();
      const n0 = l2Norm(g0);
      const sum = new Float64Array(g0.length);
      let trust = 0;
      const scores = new Map<number, number>();
      for (const { client, update } of updates) {
        const norm = l2Norm(update);
        const ts = norm > 0 && n0 > 0 ? Math.max(0, dot(update, g0) / (norm * n0)) : 0;
        scores.set(client, ts);
        if (ts > 0) addScaled(sum, update, (ts * n0) / norm);
        trust += ts;
      }
      return {
        update: Float32Array.from(sum, (v) => (trust > 0 ? v / trust : 0)),
        included: updates.filter((u) => scores.get(u.client)! > 0).map((u) => u.client),
        scores,
      };
    },
  }),
};
