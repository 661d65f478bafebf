/**
 * DP-FedAvg (McMahan et al. 2018, "Learning Differentially Private Recurrent Language Models",
 * Alg. 1 with the fixed-denominator estimator f~_f of Sec. 2): user-level differential privacy
 * for federated learning. Every client's update is clipped to L2 norm S, the clipped updates
 * are summed with weight 1 each, Gaussian noise N(0, sigma^2 S^2) is added to the sum, and the
 * sum is divided by the expected number of clients per round qN. Adding or removing one
 * client changes the sum by at most S whoever else took part, so each round is the subsampled
 * Gaussian mechanism that the RDP and PRV accountants compose. In `local` mode each client
 * clips and noises its own update instead (local-dp.ts).
 */
import { InputError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Aggregator, Summation, WeightedSum } from '../../targets/federated/aggregator.js';
import { addScaled, l2Norm } from '../../targets/federated/vectors.js';
import { clipNorm } from '../robust/norm-bounded.js';
import type { ClippingLog } from './clipping-log.js';

/** DP-FedAvg's mechanism, resolved (the noise multiplier already found from a target epsilon). */
export interface DpFedAvgMechanism {
  /** central: the server noises the sum; local: every client noises its own update. */
  mode: 'central' | 'local';
  /** sigma: the noise standard deviation is sigma * S (on the sum, or on each update in local mode). */
  noiseMultiplier: number;
  /** S: every client's update is clipped to this L2 norm. */
  clip: number;
  /** q: the probability that a client takes part in a round (Poisson sampling of clients). */
  sampleRate: number;
  /** N: clients in the federation; the central mean divides by qN. */
  clients: number;
  /** T: rounds, the steps the accountant composes. */
  steps: number;
}

export interface DpFedAvgRuntime {
  /** Draw the noise from the operating system instead of the run's seeded stream (`dp.noise: secure`). */
  secureNoise?: boolean;
}

/** The noise stream of one round: the round's seeded aggregation stream, or the OS. */
export const noiseSource = (rng: Rng, label: string, { secureNoise = false }: DpFedAvgRuntime): Rng => (secureNoise ? Rng.secure() : rng.fork(label));

/**
 * Central DP-FedAvg around `inner`, which must be computable from a sum (the mean, norm bounding
 * around it): the wrapper clips each update, then hands `inner` a summation that adds with
 * weight 1 per client, noises the sum and reports the weight as qN. So `inner`'s mean divides
 * the noised sum by the fixed qN rather than by the realised count, which would depend on who
 * took part (Sec. 2, f~_f), and whatever sum `inner` would have used (plain, or secure
 * aggregation wrapped around this aggregator) does the adding. Each update is clipped on its
 * own, which a client can do before masking, so `secureAggregation(dpFedAvg(inner, ...))`
 * runs the sum securely and adds the same noise, drawn from the round's stream. The server
 * (trusted in central DP) adds the noise after the sum: the guarantee covers the aggregates and
 * the model, not what the server sees on the way. An empty round releases noise alone, so
 * that the model moving or not gives nothing away.
 */
export function dpFedAvg(inner: Aggregator, mechanism: DpFedAvgMechanism, clipping: ClippingLog, runtime: DpFedAvgRuntime = {}): Aggregator {
  if (mechanism.mode !== 'central') throw new Error(`dpFedAvg is the central mechanism; a ${mechanism.mode} mechanism goes through dpFederated`);
  if (inner.needs !== 'sum') {
    throw new InputError(
      `DP-FedAvg noises the sum of the clipped updates, and '${inner.name}' needs each client's update; ` +
        'aggregate with mean (or norm-bounded around it) under dp.mode central, or use dp.mode local, where any aggregator works on the noised updates',
      { field: 'aggregator' },
    );
  }
  if (inner.serverSees === 'sum') {
    throw new InputError(
      `'${inner.name}' adds the updates by its own protocol, past DP-FedAvg's noise; wrap secure aggregation around DP-FedAvg instead: secureAggregation(dpFedAvg(mean))`,
      { field: 'aggregator' },
    );
  }
  const { noiseMultiplier: sigma, clip, sampleRate, clients } = mechanism;
  const expected = sampleRate * clients;
  return {
    name: `dp-fedavg(sigma=${Number(sigma.toPrecision(4))}, S=${clip}) > ${inner.name}`,
    needs: 'sum',
    serverSees: inner.serverSees,
    aggregatesEmptyRounds: true,
    async aggregate(updates, ctx) {
      for (const u of updates) clipping.add(ctx.round, l2Norm(u.update));
      let summed = false;
      const noised: Summation = {
        async weightedSum(us): Promise<WeightedSum> {
          if (summed) throw new Error(`'${inner.name}' summed twice in one round; DP-FedAvg noises one sum per round`);
          summed = true;
          // Weight 1 each: FedAvg's n_k would let one client's share of the sum grow with its data.
          const { sum, included } = us.length > 0 ? await ctx.sum.weightedSum(us, us.map(() => 1)) : { sum: new Float64Array(ctx.dimension), included: [] };
          addScaled(sum, noiseSource(ctx.rng, 'dp-fedavg/noise', runtime).fillNormal(new Float32Array(sum.length), sigma * clip), 1);
          return { sum, weight: expected, included };
        },
      };
      const out = await inner.aggregate(
        updates.map((u) => clipNorm(u, clip)),
        { ...ctx, sum: noised },
      );
      if (!summed) throw new Error(`'${inner.name}' did not sum through its context, so DP-FedAvg's noise was never added`);
      return out;
    },
  };
}
