/**
 * How a round reaches the clients and their updates come back. In-process, the clients run in
 * turn on this thread; network-transport.ts runs each in its own process behind a TCP socket.
 * Both count the same frames (messages.ts), so their byte figures agree to the byte.
 */
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../datasets/types.js';
import { buildModel, type ModelSpec } from '../models/index.js';
import type { ModelInput } from '../models/types.js';
import type { Aggregator, ClientUpdate } from './aggregator.js';
import { honestClient, honestUpdate, seedRng, type ClientBehaviour } from './client.js';
import type { LocalPlan } from './config.js';
import { transfer, type Exchange } from './costs.js';
import { roundFrameBytes, updateFrameBytes } from './messages.js';

/** One client asked to train this round, with its randomness. */
export interface ClientJob {
  client: number;
  seed: Uint8Array;
}

export interface RoundDelivery {
  /** The updates that arrived, sorted by client: the order aggregation sums in. */
  updates: ClientUpdate[];
  /** The broadcast of the global model and the uploads. */
  exchanges: [broadcast: Exchange, upload: Exchange];
  /** The slowest client's time to compute its update. */
  clientComputeMs: number;
}

export interface FederatedTransport {
  readonly mode: 'in-process' | 'network';
  /** Sends `global` to each job's client and gathers the updates; a client that does not answer is left out. */
  round(round: number, global: Float32Array, jobs: readonly ClientJob[]): Promise<RoundDelivery>;
  close(): Promise<void>;
}

/** What every client holds for the whole run. */
export interface ClientSetup {
  model: ModelSpec;
  input: ModelInput;
  data: Dataset;
  /** partition[k]: client k's rows of `data`. */
  partition: readonly Int32Array[];
  plan: LocalPlan;
  behaviours: ReadonlyMap<number, ClientBehaviour>;
  /** The server's aggregator: a transport that cannot hide updates from the server refuses one that promises to. */
  aggregator: Aggregator;
}

export type TransportFactory = (setup: ClientSetup) => Promise<FederatedTransport>;

/** A client's answer to a round, with what it cost: its compute and the bytes of its upload. */
export interface Reply {
  update: ClientUpdate;
  computeMs: number;
  bytes: number;
}

/** A round's exchanges and slowest compute from the bytes each reached client received (`down`) and the replies. */
export function roundExchanges(down: ReadonlyArray<readonly [client: number, bytes: number]>, replies: readonly Reply[]): Omit<RoundDelivery, 'updates'> {
  return {
    exchanges: [transfer('broadcast', 'down', down), transfer('upload', 'up', replies.map((r) => [r.update.client, r.bytes] as const))],
    clientComputeMs: replies.reduce((m, r) => Math.max(m, r.computeMs), 0),
  };
}

/**
 * Every client in this process, one after another, on one shared network (its weights are
 * replaced per client). Client behaviours other than honest run here only.
 */
export const inProcessTransport: TransportFactory = async (setup) => {
  // Built once; its initial weights never matter, each client loads the global ones.
  const net = buildModel(setup.model, setup.input, Rng.fromSeed('in-process-client'));
  const params = net.parameterCount();
  return {
    mode: 'in-process',
    async round(round, global, jobs) {
      const replies: Reply[] = [];
      for (const { client, seed } of jobs) {
        const start = performance.now();
        const rows = setup.partition[client];
        const behaviour = setup.behaviours.get(client) ?? honestClient;
        const ctx = { round, client, global, data: setup.data, rows, rng: seedRng(seed).fork('behaviour') };
        const update = await behaviour.update(ctx, () => honestUpdate(net, setup.data, rows, global, setup.plan, seed, client));
        if (update) replies.push({ update, computeMs: performance.now() - start, bytes: updateFrameBytes(params) });
      }
      const down = jobs.map(({ client }) => [client, roundFrameBytes(params)] as const);
      return { updates: replies.map((r) => r.update), ...roundExchanges(down, replies) };
    },
    async close() {
      net.dispose();
    },
  };
};
