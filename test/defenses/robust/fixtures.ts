import { Rng } from '../../../core/rng.js';
import { plainSummation, type AggregationContext, type ClientUpdate } from '../../../targets/federated/aggregator.js';

/** Updates from rows of numbers: client k sends rows[k], with `examples[k]` examples (1 each by default). */
export const updatesOf = (rows: number[][], examples: number[] = rows.map(() => 1)): ClientUpdate[] =>
  rows.map((r, client) => ({ client, update: Float32Array.from(r), examples: examples[client] }));

/**
 * A round's context with plain summation and, if given, the server's root update. `dimension`
 * matters only to an aggregator called on an empty round (DP-FedAvg).
 */
export const contextWith = (serverUpdate?: number[], dimension = 0): AggregationContext => ({
  round: 0,
  dimension,
  sum: plainSummation,
  rng: Rng.fromSeed('aggregate'),
  serverUpdate: async () => {
    if (!serverUpdate) throw new Error('no server update in this test');
    return Float32Array.from(serverUpdate);
  },
});
