import { z } from 'zod';
import type { ClientUpdate } from '../../targets/federated/aggregator.js';
import { l2Norm, scaled } from '../../targets/federated/vectors.js';
import type { WrapperDefinition } from './types.js';

const options = z
  .object({
    /** M: the largest L2 norm an update keeps. */
    bound: z.number().positive(),
  })
  .strict();

/** The update scaled down to L2 norm `bound` if it is longer (the same array if not). */
export function clipNorm(u: ClientUpdate, bound: number): ClientUpdate {
  const norm = l2Norm(u.update);
  return norm > bound ? { ...u, update: scaled(u.update, bound / norm) } : u;
}

/**
 * Norm bounding (Sun et al. 2019, Sec. 4): every update is scaled to L2 norm at most M before
 * the inner aggregator (the mean, by default) combines them, so a boosted backdoor update
 * cannot dominate. Each update is clipped on its own, which a client can do before masking, so
 * it composes with secure aggregation as DP-FedAvg's clipping does.
 */
export const normBounded: WrapperDefinition<typeof options> = {
  kind: 'wrapper',
  id: 'norm-bounded',
  title: 'Norm-bounded aggregation',
  description: 'Scales each update to L2 norm at most M, then aggregates with the inner rule (Sun et al. 2019).',
  options,
  wrap: (inner, { bound }) => ({
    name: `norm-bounded(M=${bound}) > ${inner.name}`,
    needs: inner.needs,
    serverSees: inner.serverSees,
    aggregatesEmptyRounds: inner.aggregatesEmptyRounds,
    aggregate: (updates, ctx) =>
      inner.aggregate(
        updates.map((u) => clipNorm(u, bound)),
        ctx,
      ),
  }),
};
