import { z } from 'zod';
import type { FederatedSummary } from '../core/results.js';
import type { Rng } from '../core/rng.js';
import { mean } from '../core/stats.js';
import { dpFederated } from '../defenses/dp/dp-federated.js';
import type { DpFedAvgMechanism } from '../defenses/dp/dp-fedavg.js';
import { buildAggregator } from '../defenses/robust/index.js';
import type { AggregatorSpec } from '../defenses/robust/types.js';
import { secureAggregation } from '../defenses/secagg/aggregator.js';
import { parseOptions, planSecAgg, secAggOptions } from '../defenses/secagg/options.js';
import type { Dataset } from '../targets/datasets/types.js';
import { federatedOptions, planFederated, type FederatedPlan } from '../targets/federated/config.js';
import { networkProfileSchema, resolveProfile, summarizeCosts } from '../targets/federated/network-profile.js';
import { networkTransport } from '../targets/federated/network-transport.js';
import { partitionRows } from '../targets/federated/partition.js';
import { trainFederated } from '../targets/federated/train.js';
import type { ModelSpec } from '../targets/models/index.js';
import type { TrainStats } from '../targets/training/trainer.js';

const aggregatorSpec: z.ZodType<AggregatorSpec> = z.lazy(() =>
  z.object({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).optional(), inner: aggregatorSpec.optional() }).strict(),
);

/**
 * An experiment's `federated:` block: the FL protocol (targets/federated/config.ts), how the
 * server aggregates (a robust rule or wrapper from defenses/robust, `mean` by default), whether
 * the sum runs under secure aggregation, the transport, and the network to project costs on.
 */
export const federatedSuiteSchema = federatedOptions
  .omit({ record: true })
  .extend({
    aggregator: aggregatorSpec.default({ id: 'mean' }),
    /** true, or secure aggregation's own options (threshold, graph: secagg+, ...). */
    secureAggregation: z.union([z.boolean(), secAggOptions]).default(false),
    /** `network`: the server and each client in its own process on loopback TCP, timed for real. */
    transport: z.enum(['in-process', 'network']).default('in-process'),
    networkProfile: networkProfileSchema.default('lan'),
    /**
     * FLTrust's root dataset, the server's own clean records: this many of the population
     * records (never a candidate of the membership attacks).
     */
    rootRecords: z.number().int().positive().default(100),
  })
  .strict();

export type FederatedSuiteConfig = z.infer<typeof federatedSuiteSchema>;

/** DP-FedAvg's mechanism for a federated job, and where its noise comes from. */
export interface FederatedDp {
  mechanism: DpFedAvgMechanism;
  secureNoise: boolean;
}

const profileName = (p: FederatedSuiteConfig['networkProfile']): string =>
  typeof p === 'string' ? p : `custom (${p.latencyMs} ms, ${p.mbps} Mbit/s)`;

/**
 * Trains a model the federated way on `trainRows` (split among the clients), with the
 * aggregator the config names (secure aggregation wrapping it when asked), and returns its
 * weights and its record for results.json.
 */
export async function trainFederatedJob(
  config: FederatedSuiteConfig,
  input: { data: Dataset; trainRows: Int32Array; testRows: Int32Array; rootRows: Int32Array; model: ModelSpec; rng: Rng; dp?: FederatedDp },
  onRound?: (round: number, accuracy?: number) => void,
): Promise<{ weights: Float32Array[]; stats: TrainStats }> {
  const { aggregator: spec, secureAggregation: secure, transport, networkProfile, rootRecords: _root, ...options } = config;
  const { dp, ...common } = input;
  const plain = buildAggregator(spec, 'federated.aggregator');
  // DP-FedAvg inside, secure aggregation outside: the protocol then sums clipped updates and
  // the noise is added to its result.
  const withDp = dp && dpFederated(dp.mechanism, { aggregator: plain }, { secureNoise: dp.secureNoise });
  const inner = withDp?.aggregator ?? plain;
  const aggregator = secure ? secureAggregation(inner, secure === true ? {} : secure) : inner;
  const run = await trainFederated({
    ...common,
    options,
    aggregator,
    behaviours: withDp?.behaviours,
    transport: transport === 'network' ? networkTransport() : undefined,
    onRound: (r) => onRound?.(r.round, r.utility?.accuracy),
  });
  const costs = summarizeCosts(run.costs, resolveProfile(networkProfile));
  const p = run.observations.participation;
  const federated: FederatedSummary = {
    algorithm: run.observations.algorithm,
    clients: run.partition.length,
    rounds: run.costs.length,
    aggregator: run.aggregator,
    secureAggregation: Boolean(secure),
    transport: run.transport,
    serverSees: aggregator.serverSees,
    curve: run.curve,
    participation: {
      meanSampled: mean(p.map((r) => r.sampled.length)),
      meanDropped: mean(p.map((r) => r.dropped.length)),
      meanIncluded: mean(p.map((r) => r.included.length)),
    },
    costs: {
      profile: profileName(networkProfile),
      measuredMsPerRound: costs.measuredMsPerRound,
      projectedMsPerRound: costs.projectedMsPerRound,
      upBytesPerClient: costs.upBytesPerClient,
      downBytesPerClient: costs.downBytesPerClient,
      messagesPerRound: costs.messagesPerRound,
    },
  };
  const examples = mean(p.map((r) => Object.values(r.examples).reduce((s, n) => s + n, 0)));
  return {
    weights: run.weights,
    stats: {
      lossCurve: run.curve.map((c) => c.loss),
      seconds: run.seconds,
      samplesPerSecond: (examples * run.costs.length) / run.seconds,
      federated,
      ...(withDp ? { clippedFraction: mean(withDp.clipping.rounds().map((r) => r.clippedFraction)) } : {}),
    },
  };
}

/**
 * Checks a `federated:` block against the data before anything trains: the protocol's options,
 * the aggregator (and that secure aggregation can run it), the partition of these training
 * rows, and secure aggregation's threshold against the clients of a round. Throws InputErrors.
 */
export function checkFederated(config: FederatedSuiteConfig, labels: Int32Array, trainRows: Int32Array, rng: Rng): FederatedPlan {
  const { aggregator: spec, secureAggregation: secure, transport: _t, networkProfile: _p, rootRecords: _r, ...options } = config;
  const plan = planFederated(options);
  const plain = buildAggregator(spec, 'federated.aggregator');
  partitionRows(labels, trainRows, plan.clients, plan.partition, rng);
  if (secure) {
    secureAggregation(plain, secure === true ? {} : secure);
    const perRound = 'count' in plan.sampling ? plan.sampling.count : plan.clients;
    planSecAgg(parseOptions(secure === true ? {} : secure), perRound);
  }
  return plan;
}
