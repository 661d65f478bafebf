/**
 * A federated experiment's `dp:` block and its guarantee: user-level (epsilon, delta) for
 * DP-FedAvg, the noise searched for a target epsilon as DP-SGD's is (config.ts).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { FederatedPlan } from '../../targets/federated/config.js';
import type { EpsilonReport } from './accountants/types.js';
import { budgetGuarantee, dpBlock, oneBudget, withDeltaWarning } from './config.js';
import type { DpFedAvgMechanism } from './dp-fedavg.js';

/**
 * DP-SGD's `dp:` fields, with S in place of C and the mode. `central` (default): the server
 * clips, sums and noises (dp-fedavg.ts); `local`: each client clips and noises its own update
 * (local-dp.ts).
 */
export const dpFedAvgConfigSchema = dpBlock
  .extend({
    mode: z.enum(['central', 'local']).default('central'),
    /** S: the L2 norm each client's whole update is clipped to. */
    clip: z.number().positive().default(1),
  })
  .refine(...oneBudget);

export type DpFedAvgConfig = z.infer<typeof dpFedAvgConfigSchema>;

/** What DP-FedAvg will do and what it guarantees, as results.json records it. */
export interface DpFedAvgResolution {
  mechanism: DpFedAvgMechanism;
  report: EpsilonReport;
  config: DpFedAvgConfig;
}

/** The federated recipe the guarantee depends on: `planFederated(options)` gives it. */
export type Federation = Pick<FederatedPlan, 'clients' | 'rounds' | 'sampling'>;

function fail(field: string, message: string): never {
  throw new InputError(message, { field: `federated.${field}` });
}

/** q, each client's probability of joining a round, and how the analysis reads the sampling. */
function clientSampling({ clients, sampling }: Federation): { sampleRate: number; analysis: string } {
  if (!Number.isInteger(clients) || clients < 1) fail('clients', `clients must be an integer >= 1, got ${clients}`);
  if ('rate' in sampling) {
    if (!(sampling.rate > 0 && sampling.rate <= 1)) fail('sampleRate', `sampleRate must be in (0, 1], got ${sampling.rate}; it is each client's probability of joining a round`);
    return { sampleRate: sampling.rate, analysis: 'Poisson sampling of clients: each joins a round independently with probability q' };
  }
  const k = sampling.count;
  if (!Number.isInteger(k) || k < 1 || k > clients) fail('clientsPerRound', `clientsPerRound must be an integer in [1, clients = ${clients}], got ${k}`);
  return {
    sampleRate: k / clients,
    analysis:
      `clientsPerRound ${k} drawn without replacement, analysed as Poisson sampling of clients at q = k/N = ${k}/${clients}: ` +
      'an approximation (use sampleRate for the sampling the bound assumes)',
  };
}

/**
 * Turns a federated `dp:` block and the federated recipe into DP-FedAvg's mechanism and its
 * user-level guarantee over T = rounds. Undefined when DP is off (`epsilon: .inf`).
 *
 * - central: each round is the subsampled Gaussian mechanism at q with sensitivity S, since
 *   adding or removing one client moves the weight-1 sum by at most S (McMahan et al. 2018,
 *   Sec. 2, Lemma 1); the accountant composes T rounds at q, as it composes DP-SGD's steps.
 * - local: each client's message is the Gaussian mechanism on its own clipped update. Local DP
 *   holds for any two datasets of the client, whose clipped updates can differ by the clip
 *   ball's diameter 2S, so noise sigma * S counts as noise multiplier sigma / 2. A client's own
 *   view gives no amplification by sampling (it knows when it takes part), so every round is
 *   counted at q = 1: a conservative bound, as a client joins only about qT rounds.
 *
 * delta is compared with 1/N for N clients. Every impossible setting is an InputError naming its field.
 */
export function resolveDpFedAvg(config: DpFedAvgConfig, federation: Federation): DpFedAvgResolution | undefined {
  if (config.epsilon === Infinity) return undefined;
  const { clients, rounds } = federation;
  const { sampleRate, analysis } = clientSampling(federation);
  if (!Number.isInteger(rounds) || rounds < 1) fail('rounds', `rounds must be an integer >= 1, got ${rounds}`);
  const local = config.mode === 'local';
  // The accountant's noise multiplier is the noise std over the sensitivity, S or (local) 2S.
  const sensitivity = local ? 2 : 1;
  const answer = budgetGuarantee(
    { ...config, noiseMultiplier: config.noiseMultiplier === undefined ? undefined : config.noiseMultiplier / sensitivity },
    { sampleRate: local ? 1 : sampleRate, steps: rounds },
  );
  const assumptions = local
    ? {
        sampling: `none: each of the ${rounds} rounds counts as a release by every client (no amplification from the client's own view; ${analysis})`,
        adjacency: "any two datasets of one client (local DP, user-level): the guarantee holds for each client's messages alone",
        sensitivity: `each update clipped to L2 norm S; two clipped updates differ by at most 2S, so the accountant is given sigma / 2 = ${answer.noiseMultiplier}`,
      }
    : {
        sampling: analysis,
        adjacency: 'add or remove one client with all of its data (user-level)',
        sensitivity: "each client's update clipped to L2 norm S and summed with weight 1; the mean divides by the expected qN",
      };
  return {
    mechanism: { mode: config.mode, noiseMultiplier: answer.noiseMultiplier * sensitivity, clip: config.clip, sampleRate, clients, steps: rounds },
    report: withDeltaWarning({ ...answer.report, assumptions }, config.delta, clients),
    config,
  };
}
