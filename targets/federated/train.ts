/**
 * The federated training loop: FedSGD and FedAvg (McMahan et al. 2017, Alg. 1) with client
 * sampling and dropout, any aggregator, any transport, and a record of exactly what the server
 * observed each round.
 */
import { InputError } from '../../core/errors.js';
import { selects, type FederatedObservations, type ObservationId, type RoundParticipation } from '../../core/observations.js';
import type { Rng } from '../../core/rng.js';
import type { Dataset } from '../datasets/types.js';
import { buildModel, type ModelSpec } from '../models/index.js';
import { evaluate } from '../training/evaluate.js';
import { plainSummation, type Aggregate, type AggregationContext, type Aggregator, type ClientUpdate } from './aggregator.js';
import { clientSeed, honestUpdate, type ClientBehaviour } from './client.js';
import { planFederated, type FederatedOptions, type FederatedPlan } from './config.js';
import type { RoundCost } from './costs.js';
import { partitionRows } from './partition.js';
import { dropClients, sampleClients } from './sampling.js';
import { inProcessTransport, type TransportFactory } from './transport.js';
import { flatten, unflatten } from './vectors.js';

export interface FederatedRunInput {
  data: Dataset;
  /** Rows the clients split among themselves. */
  trainRows: Int32Array;
  /** Rows the server measures utility on. */
  testRows: Int32Array;
  /** The server's own clean rows (FLTrust's root dataset), for aggregators that ask for a server update. */
  rootRows?: Int32Array;
  model: ModelSpec;
  options: FederatedOptions;
  /** Usually built from defenses/ (robust rules, secure aggregation); FedAvg's plain mean is targets/federated/weighted-mean.ts. */
  aggregator: Aggregator;
  /** Clients that do not follow the protocol honestly, by client id; the rest are honest. */
  behaviours?: ReadonlyMap<number, ClientBehaviour>;
  /** In-process by default; networkTransport() for client processes on loopback TCP. */
  transport?: TransportFactory;
  rng: Rng;
  /** Called after every round, e.g. for progress. */
  onRound?: (round: RoundRecord) => void;
}

export interface RoundUtility {
  round: number;
  accuracy: number;
  loss: number;
}

export interface RoundRecord {
  round: number;
  participation: RoundParticipation;
  cost: RoundCost;
  /** Test utility after the round, on the rounds that evaluate. */
  utility?: RoundUtility;
}

export interface FederatedRun {
  /** The final global model, per tensor as Network.getWeights gives it (what the model cache stores). */
  weights: Float32Array[];
  /** Test accuracy and loss after each evaluated round: the utility curve. */
  curve: RoundUtility[];
  costs: RoundCost[];
  observations: FederatedObservations;
  /** partition[k]: client k's training rows. */
  partition: Int32Array[];
  aggregator: string;
  transport: 'in-process' | 'network';
  seconds: number;
}

/** What the server can observe under an aggregator, by observation id (ARCHITECTURE.md's table). */
const exposed = (aggregator: Aggregator): ObservationId[] =>
  aggregator.serverSees === 'updates' ? ['clientUpdates', 'aggregates'] : ['aggregates', 'transcript'];

export async function trainFederated(run: FederatedRunInput): Promise<FederatedRun> {
  const t0 = performance.now();
  const plan = planFederated(run.options);
  const { data, rng, aggregator } = run;
  const input = { d: data.d, numClasses: data.numClasses, imageShape: data.imageShape };
  const net = buildModel(run.model, input, rng.fork('init'));
  const sizes = net.params.map((p) => p.size);
  let global = flatten(await net.getWeights());
  const partition = partitionRows(data.labels, run.trainRows, plan.clients, plan.partition, rng.fork('partition'));
  const algorithm = plan.local.algorithm;
  const observations: FederatedObservations = {
    algorithm,
    shapes: net.params.map((p) => [...p.shape]),
    exposes: exposed(aggregator),
    participation: [],
    clientUpdates: new Map(),
    aggregates: new Map(),
    transcript: new Map(),
  };
  const curve: RoundUtility[] = [];
  const costs: RoundCost[] = [];
  // FedAvg moves along the averaged delta; FedSGD steps against the averaged gradient.
  const step = (algorithm === 'fedsgd' ? -1 : 1) * plan.serverLearningRate;
  const sampler = rng.fork('sampling');
  const dropper = rng.fork('dropout');
  const transport = await (run.transport ?? inProcessTransport)({
    model: run.model,
    input,
    data,
    partition,
    plan: plan.local,
    behaviours: run.behaviours ?? new Map(),
    aggregator,
  });
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const start = performance.now();
      const sampled = sampleClients(plan.clients, plan.sampling, sampler);
      const offline = dropClients(sampled, plan.dropout, dropper);
      const jobs = sampled.filter((k) => !offline.has(k)).map((client) => ({ client, seed: clientSeed(rng, round, client) }));
      const delivery = await transport.round(round, global, jobs);
      const aggregationStart = performance.now();
      const current = global;
      let reference: Promise<Float32Array> | undefined;
      const ctx: AggregationContext = {
        round,
        dimension: global.length,
        sum: plainSummation,
        rng: rng.fork(`round/${round}/aggregate`),
        serverUpdate: () => (reference ??= serverUpdate(round, current)),
      };
      const aggregate: Aggregate | null =
        delivery.updates.length > 0 || aggregator.aggregatesEmptyRounds ? await aggregator.aggregate(delivery.updates, ctx) : null;
      // An aggregate that includes no one is zero, or DP noise alone: applied either way.
      if (aggregate) global = applied(global, aggregate.update, step);
      const cost: RoundCost = {
        round,
        exchanges: aggregate?.protocol ? [delivery.exchanges[0], ...aggregate.protocol.exchanges] : delivery.exchanges,
        clientComputeMs: delivery.clientComputeMs,
        serverComputeMs: Math.max(0, performance.now() - aggregationStart - (aggregate?.protocol?.simulatedMs ?? 0)),
        measuredMs: performance.now() - start,
      };
      const participation = participationOf(round, sampled, delivery.updates, aggregate);
      observations.participation.push(participation);
      record(observations, plan.record, round, delivery.updates, aggregate, aggregator);
      costs.push(cost);
      let utility: RoundUtility | undefined;
      if (run.testRows.length > 0 && ((round + 1) % plan.evaluateEvery === 0 || round === plan.rounds - 1)) {
        net.setWeights(unflatten(global, sizes));
        utility = { round, ...evaluate(net, data, run.testRows) };
        curve.push(utility);
      }
      run.onRound?.({ round, participation, cost, utility });
    }
    net.setWeights(unflatten(global, sizes));
    return {
      weights: await net.getWeights(),
      curve,
      costs,
      observations,
      partition,
      aggregator: aggregator.name,
      transport: transport.mode,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await transport.close();
    net.dispose();
  }

  /** The honest update of the server's root rows from the round's global model. */
  async function serverUpdate(round: number, from: Float32Array): Promise<Float32Array> {
    if (!run.rootRows?.length) {
      throw new InputError(`aggregator '${aggregator.name}' needs a server update on a root dataset, and the run has no root rows; give it some`, {
        field: 'federated.rootRows',
      });
    }
    const seed = clientSeed(rng.fork('server'), round, 0);
    return (await honestUpdate(net, data, run.rootRows, from, plan.local, seed, -1)).update;
  }
}

/** global + step * update, as a new vector (the old one may still be held by clients or observers). */
function applied(global: Float32Array, update: Float32Array, step: number): Float32Array {
  const next = new Float32Array(global.length);
  for (let i = 0; i < global.length; i++) next[i] = global[i] + step * update[i];
  return next;
}

function participationOf(round: number, sampled: number[], updates: readonly ClientUpdate[], aggregate: Aggregate | null): RoundParticipation {
  const arrived = new Set(updates.map((u) => u.client));
  return {
    round,
    sampled,
    dropped: sampled.filter((k) => !arrived.has(k)),
    included: aggregate?.included ?? [],
    examples: Object.fromEntries(updates.map((u) => [u.client, u.examples])),
  };
}

/** Keeps what the server saw this round, for the rounds the run records. */
function record(
  o: FederatedObservations,
  selection: FederatedPlan['record'],
  round: number,
  updates: readonly ClientUpdate[],
  aggregate: Aggregate | null,
  aggregator: Aggregator,
): void {
  if (aggregator.serverSees === 'updates' && selects(selection.clientUpdates, round)) {
    o.clientUpdates.set(round, new Map(updates.map((u) => [u.client, u.update])));
  }
  if (aggregate && selects(selection.aggregates, round)) o.aggregates.set(round, aggregate.update);
  if (aggregate?.protocol && selects(selection.transcript, round)) o.transcript.set(round, aggregate.protocol.view);
}
