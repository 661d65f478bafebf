import { z } from 'zod';
import { DEFAULT_ORDERS, historyRdp, rdpToEpsilon } from './analysis/rdp.js';
import { ANALYSIS_ASSUMPTIONS, type AccountantDefinition } from './types.js';

const options = z
  .object({
    /** RDP orders to search; Opacus's default grid when absent. */
    orders: z
      .array(z.number().gt(1))
      .min(1)
      .refine((o) => o.every((a, k) => k === 0 || a > o[k - 1]), 'orders must be increasing')
      .optional(),
  })
  .strict();

/**
 * The RDP accountant (Mironov 2017; Mironov, Talwar, Zhang 2019 for the subsampled Gaussian),
 * as Opacus's `RDPAccountant`: add up the RDP curve of every step, then convert once.
 */
export const rdpAccountant: AccountantDefinition<typeof options> = {
  id: 'rdp',
  title: 'Renyi DP (moments) accountant',
  description: 'RDP of the Poisson-subsampled Gaussian over a grid of orders, converted to (epsilon, delta) by Balle et al. 2020.',
  method: 'RDP of the subsampled Gaussian, converted by Balle et al. 2020, Theorem 21',
  options,
  epsilon(history, delta, { orders = DEFAULT_ORDERS }) {
    const { epsilon, order, edge } = rdpToEpsilon(orders, historyRdp(history, orders), delta);
    const range: [number, number] = [orders[0], orders[orders.length - 1]];
    const warnings = edge
      ? [`the best RDP order ${order} is the ${edge} of the grid [${range.join(', ')}]; a wider grid may give a smaller epsilon`]
      : [];
    return {
      accountant: 'rdp',
      epsilon,
      delta,
      method: rdpAccountant.method,
      assumptions: ANALYSIS_ASSUMPTIONS,
      details: { kind: 'rdp', order, orderRange: range },
      warnings,
    };
  },
};
