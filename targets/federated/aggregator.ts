/**
 * The contract between the federated loop and the defenses that aggregate (Flower's Strategy,
 * reduced to the server's one decision per round). Concrete aggregators live in defenses/ and
 * compose as wrappers: a wrapper sees the client updates before its inner aggregator and the
 * aggregate after it (robust norm bounding, DP-FedAvg's clip-then-noise), and secure
 * aggregation swaps the `sum` its inner aggregator adds with.
 */
import type { SecureAggregationView } from '../../core/observations.js';
import type { Rng } from '../../core/rng.js';
import type { Exchange } from './costs.js';
import { addScaled } from './vectors.js';

/** One client's contribution to a round, as it reached the server. */
export interface ClientUpdate {
  client: number;
  /** FedAvg: local weights minus global weights. FedSGD: the mean-loss gradient. Flat, `params` order. */
  update: Float32Array;
  /** Training examples behind the update: FedAvg's weight n_k (McMahan et al. 2017, Alg. 1). */
  examples: number;
}

export interface WeightedSum {
  /** sum_k w_k u_k over the included updates. */
  sum: Float64Array;
  /** sum_k w_k over the same updates. */
  weight: number;
  /** Clients in the sum, ascending; a secure protocol may lose some mid-round. */
  included: number[];
}

/** How the server adds updates up: in the clear, or by a protocol that reveals only the sum. */
export interface Summation {
  weightedSum(updates: readonly ClientUpdate[], weights: readonly number[]): Promise<WeightedSum>;
}

export interface AggregationContext {
  round: number;
  /** Values in every update of the run (the model's parameter count), also on a round where none arrived. */
  dimension: number;
  sum: Summation;
  /**
   * The update an honest client would send from the server's own root dataset (FLTrust, Cao
   * et al. 2021): computed once per round on first call; an InputError when the run has no root rows.
   */
  serverUpdate(): Promise<Float32Array>;
  rng: Rng;
}

export interface Aggregate {
  /** What the server applies, before its learning rate; a fresh array. */
  update: Float32Array;
  /** Clients whose updates shaped `update`, ascending. */
  included: number[];
  /** A per-client score the rule computed (Krum score, FLTrust trust), for reports and tests. */
  scores?: Map<number, number>;
  /** Set by secure aggregation: what the protocol showed the server, its traffic, and the compute of every simulated party. */
  protocol?: { view: SecureAggregationView; exchanges: Exchange[]; simulatedMs: number };
}

export interface Aggregator {
  /** Readable and composed, outermost first: `norm-bounded(M=1) > mean`. */
  readonly name: string;
  /**
   * `sum`: computable from a weighted sum of updates, each possibly transformed on its own (a
   * client can do that before masking), so it runs under secure aggregation. `updates`: it
   * compares updates with each other (median, Krum) and needs each one in the clear.
   */
  readonly needs: 'sum' | 'updates';
  /** What the server sees while this aggregator runs: each update, or only their sum. */
  readonly serverSees: 'updates' | 'sum';
  /**
   * Set by a mechanism whose output must not give away that a round was empty: DP-FedAvg adds
   * its noise to an empty sum too (McMahan et al. 2018, Alg. 1), or the model staying put would
   * tell that the one sampled client was absent. The loop then calls it with no updates; a
   * wrapper passes its inner aggregator's flag on.
   */
  readonly aggregatesEmptyRounds?: boolean;
  /**
   * `updates` is sorted by client, and non-empty unless `aggregatesEmptyRounds`; an aggregator
   * never changes its arrays.
   */
  aggregate(updates: readonly ClientUpdate[], ctx: AggregationContext): Promise<Aggregate>;
}

/** The server adding plain updates, in float64 so the order of clients does not matter to float32 precision. */
export const plainSummation: Summation = {
  async weightedSum(updates, weights) {
    const sum = new Float64Array(updates[0].update.length);
    updates.forEach((u, k) => addScaled(sum, u.update, weights[k]));
    return { sum, weight: weights.reduce((s, w) => s + w, 0), included: updates.map((u) => u.client) };
  },
};
