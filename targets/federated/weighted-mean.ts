import type { Aggregator } from './aggregator.js';

/**
 * FedAvg's aggregation (McMahan et al. 2017, Alg. 1): the mean of the updates weighted by the
 * clients' example counts, sum_k n_k u_k / sum_k n_k. Part of the algorithm rather than a
 * defense, so it lives beside the loop; defenses/robust registers it as `mean`. When the sum
 * includes no one (a secure aggregation that aborted) the update is zero: the model stays.
 */
export const weightedMean: Aggregator = {
  name: 'mean',
  needs: 'sum',
  serverSees: 'updates',
  async aggregate(updates, ctx) {
    const { sum, weight, included } = await ctx.sum.weightedSum(
      updates,
      updates.map((u) => u.examples),
    );
    return { update: Float32Array.from(sum, (v) => (weight > 0 ? v / weight : 0)), included };
  },
};
