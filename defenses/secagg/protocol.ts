import type { Rng } from '../../core/rng.js';
import { SecAggClient } from './client.js';
import { CostLedger, type Costs } from './costs.js';
import { noDropout, type DropoutSchedule } from './dropout.js';
import type { Neighbourhoods } from './graph.js';
import { SERVER, type Round } from './rounds.js';
import { SecAggServer, type ServerView } from './server.js';
import { InProcessTransport, type Delivery, type Transport } from './transport.js';

export interface ProtocolParams {
  /** Shares needed to reconstruct a client's secrets (t). */
  threshold: number;
  /** Who masks with and shares to whom (graph.ts). */
  neighbours: Neighbourhoods;
  /** Words per input vector (d). */
  length: number;
}

export interface ProtocolRun {
  /** Each client's private input in Z_2^32, produced inside its round-2 step. */
  inputs: Array<() => Uint32Array>;
  params: ProtocolParams;
  rng: Rng;
  dropout?: DropoutSchedule;
  /** Builds the transport over the run's ledger; in-process by default. */
  transport?: (ledger: CostLedger) => Transport;
}

/** One message the server received: the curious server's whole transcript is a list of these. */
export interface ServerMessage extends Delivery {
  round: Round;
}

export interface ProtocolResult {
  /** sum_{u in survivors} x_u mod 2^32. */
  sum: Uint32Array;
  /** U3: the clients whose inputs are in the sum, ascending. */
  survivors: number[];
  costs: Costs;
  serverView: ServerView & { transcript: ServerMessage[] };
}

/**
 * Runs secure aggregation of Bonawitz et al. 2017 (Fig. 4) among inputs.length clients and a
 * server, round by round over a transport, with clients dropping as `dropout` says. Each
 * party's step is timed on its own, so costs are per party even though the parties share a
 * thread. Throws InputError when too few clients remain (the protocol's abort).
 */
export async function runSecureAggregation(run: ProtocolRun): Promise<ProtocolResult> {
  const { inputs, params, rng, dropout = noDropout } = run;
  const n = inputs.length;
  const ledger = new CostLedger(n);
  const transport = (run.transport ?? ((l) => new InProcessTransport(l)))(ledger);
  const server = new SecAggServer(params.neighbours, params.threshold, params.length);
  const clients = inputs.map((input, u) => new SecAggClient(u, params.threshold, input, rng.fork(`client/${u}`)));
  const transcript: ServerMessage[] = [];
  let present = clients.map((c) => c.id);

  /** Every client still present takes the server's last message, runs `step` and uploads, unless it drops now. */
  async function round(name: Round, previous: Round | null, step: (c: SecAggClient, inbox: Uint8Array) => Uint8Array): Promise<Delivery[]> {
    ledger.startRound();
    for (const u of present) {
      if (dropout.drops(name, u)) continue;
      const inbox = previous === null ? new Uint8Array(0) : (await transport.collect(previous, u, [SERVER]))[0].payload;
      transport.send(name, u, SERVER, ledger.time(name, u, () => step(clients[u], inbox)));
    }
    const uploads = await transport.collect(name, SERVER, present);
    transcript.push(...uploads.map((d) => ({ round: name, ...d })));
    present = uploads.map((d) => d.from as number);
    return uploads;
  }

  function reply(name: Round, messages: Map<number, Uint8Array>): void {
    for (const [u, payload] of messages) transport.send(name, SERVER, u, payload);
  }

  const keys = await round('advertiseKeys', null, (c) => c.advertiseKeys());
  reply('advertiseKeys', ledger.time('advertiseKeys', SERVER, () => server.collectKeys(keys)));
  const shares = await round('shareKeys', 'advertiseKeys', (c, inbox) => c.shareKeys(inbox));
  reply('shareKeys', ledger.time('shareKeys', SERVER, () => server.forwardShares(shares)));
  const masked = await round('maskedInputCollection', 'shareKeys', (c, inbox) => c.maskedInput(inbox));
  reply('maskedInputCollection', ledger.time('maskedInputCollection', SERVER, () => server.collectMaskedInputs(masked)));
  const survivors = [...server.masked.keys()].sort((a, b) => a - b);
  const unmasking = await round('unmasking', 'maskedInputCollection', (c, inbox) => c.unmask(inbox));
  const sum = ledger.time('unmasking', SERVER, () => server.unmask(unmasking));
  return { sum, survivors, costs: ledger.snapshot(), serverView: { ...server.view(sum), transcript } };
}
