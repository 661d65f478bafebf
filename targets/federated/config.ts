/**
 * Options of a federated run, as a suite writes them, and their resolution into a plan. zod
 * checks each field; `planFederated` checks the combinations and fills the defaults that depend
 * on the algorithm, each failure an InputError naming the field and the fix.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { RoundSelection } from '../../core/observations.js';
import { validateOptions } from '../../core/options.js';

export const partitionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('iid') }).strict(),
  /** Label skew: each class is split among the clients in proportions ~ Dir(alpha); smaller alpha, more skew. */
  z.object({ kind: z.literal('dirichlet'), alpha: z.number() }).strict(),
  /** Pathological non-IID of McMahan et al. 2017: rows sorted by label, a few single-label shards per client. */
  z.object({ kind: z.literal('shards'), shardsPerClient: z.number().int().default(2) }).strict(),
]);
export type PartitionSpec = z.infer<typeof partitionSchema>;

const roundSelection = z.union([z.enum(['all', 'none']), z.array(z.number().int().nonnegative())]);

export const federatedOptions = z
  .object({
    algorithm: z.enum(['fedavg', 'fedsgd']).default('fedavg'),
    clients: z.number().int().default(10),
    rounds: z.number().int().positive().default(10),
    partition: partitionSchema.default({ kind: 'iid' }),
    /** Each client joins a round with this probability (Poisson sampling); default: every client. */
    sampleRate: z.number().gt(0).max(1).optional(),
    /** Or exactly this many clients per round, drawn without replacement. */
    clientsPerRound: z.number().int().positive().optional(),
    /** Each sampled client goes offline before the round reaches it with this probability. */
    dropout: z.number().min(0).lt(1).default(0),
    /** FedAvg: local passes over the client's data (default 1), or `localSteps` minibatch steps instead. */
    localEpochs: z.number().int().positive().optional(),
    localSteps: z.number().int().positive().optional(),
    /** FedAvg: the clients' SGD step size (default 0.1). */
    localLearningRate: z.number().positive().optional(),
    /** FedAvg: the clients' minibatch (default 32). FedSGD: the gradient's batch (default: all the client's rows). */
    localBatchSize: z.number().int().positive().optional(),
    /** FedAvg: the step along the averaged delta (default 1, plain averaging). FedSGD: the SGD step size (default 0.1). */
    serverLearningRate: z.number().positive().optional(),
    /** Test utility after every k-th round (and after the last). */
    evaluateEvery: z.number().int().positive().default(1),
    /**
     * Which rounds keep each heavy observation: client updates cost rounds x clients x params
     * floats, aggregates rounds x params. None by default; the runner asks for what its attacks read.
     */
    record: z
      .object({
        clientUpdates: roundSelection.default('none'),
        aggregates: roundSelection.default('none'),
        transcript: roundSelection.default('none'),
      })
      .strict()
      .default({ clientUpdates: 'none', aggregates: 'none', transcript: 'none' }),
  })
  .strict();

export type FederatedOptions = z.input<typeof federatedOptions>;

/** What a client runs each round; it travels to client processes as JSON. */
export type LocalPlan =
  | { algorithm: 'fedavg'; epochs: number; steps?: undefined; learningRate: number; batchSize: number }
  | { algorithm: 'fedavg'; epochs?: undefined; steps: number; learningRate: number; batchSize: number }
  | { algorithm: 'fedsgd'; batchSize?: number };

export type Sampling = { rate: number } | { count: number };

export interface FederatedPlan {
  clients: number;
  rounds: number;
  partition: PartitionSpec;
  sampling: Sampling;
  dropout: number;
  local: LocalPlan;
  serverLearningRate: number;
  evaluateEvery: number;
  record: { clientUpdates: RoundSelection; aggregates: RoundSelection; transcript: RoundSelection };
}

const FIELD = 'federated';

/** Validated options with every default resolved; `field` prefixes the names in error messages. */
export function planFederated(options: FederatedOptions, field = FIELD): FederatedPlan {
  const o = validateOptions(federatedOptions, options, field);
  const fail = (name: string, message: string): never => {
    throw new InputError(message, { field: `${field}.${name}` });
  };
  if (o.sampleRate !== undefined && o.clientsPerRound !== undefined) fail('clientsPerRound', 'set sampleRate or clientsPerRound, not both');
  if (o.clientsPerRound !== undefined && o.clientsPerRound > o.clients) {
    fail('clientsPerRound', `${o.clientsPerRound} clients per round but only ${o.clients} clients; lower clientsPerRound or raise clients`);
  }
  let local: LocalPlan;
  if (o.algorithm === 'fedsgd') {
    for (const name of ['localEpochs', 'localSteps', 'localLearningRate'] as const) {
      if (o[name] !== undefined) fail(name, `${name} applies to fedavg; a fedsgd client sends one gradient and the server steps with serverLearningRate`);
    }
    local = { algorithm: 'fedsgd', batchSize: o.localBatchSize };
  } else {
    if (o.localEpochs !== undefined && o.localSteps !== undefined) fail('localSteps', 'set localEpochs or localSteps, not both');
    const common = { algorithm: 'fedavg' as const, learningRate: o.localLearningRate ?? 0.1, batchSize: o.localBatchSize ?? 32 };
    local = o.localSteps !== undefined ? { ...common, steps: o.localSteps } : { ...common, epochs: o.localEpochs ?? 1 };
  }
  return {
    clients: o.clients,
    rounds: o.rounds,
    partition: o.partition,
    sampling: o.clientsPerRound !== undefined ? { count: o.clientsPerRound } : { rate: o.sampleRate ?? 1 },
    dropout: o.dropout,
    local,
    serverLearningRate: o.serverLearningRate ?? (o.algorithm === 'fedsgd' ? 0.1 : 1),
    evaluateEvery: o.evaluateEvery,
    record: o.record,
  };
}
