/**
 * A federated client as its own process: `node client-process.js <port> <client>`. It connects
 * to the server on loopback, says who it is, takes its setup (model, plan, its rows), then
 * answers each round with the honest update until the server says bye or goes away.
 */
import { connect } from 'node:net';
import { Rng } from '../../core/rng.js';
import { selectBackend, type BackendChoice } from '../backend.js';
import type { Dataset } from '../datasets/types.js';
import { buildModel } from '../models/index.js';
import type { Network } from '../models/network.js';
import { honestUpdate } from './client.js';
import type { LocalPlan } from './config.js';
import { FrameReader, writeFrame } from './frames.js';
import { decodeRound, decodeSetup, encodeHello, encodeSignal, encodeUpdate, kindOf } from './messages.js';

const [port, clientArg] = process.argv.slice(2);
const client = Number(clientArg);
const socket = connect(Number(port), '127.0.0.1');
socket.setNoDelay(true);

let state: { net: Network; data: Dataset; rows: Int32Array; plan: LocalPlan } | null = null;

async function handle(payload: Buffer): Promise<void> {
  switch (kindOf(payload)) {
    case 'setup': {
      const m = decodeSetup(payload);
      await selectBackend(m.backend as BackendChoice);
      const data: Dataset = {
        description: `client ${client}`,
        n: m.rows,
        d: m.input.d,
        numClasses: m.input.numClasses,
        features: m.features,
        labels: m.labels,
        featureNames: [],
        classNames: [],
        imageShape: m.input.imageShape,
      };
      const rows = Int32Array.from({ length: m.rows }, (_, i) => i);
      state = { net: buildModel(m.model, m.input, Rng.fromSeed('client-process')), data, rows, plan: m.plan };
      writeFrame(socket, encodeSignal('ready'));
      return;
    }
    case 'round': {
      if (!state) throw new Error('round before setup');
      const { round, seed, global } = decodeRound(payload);
      const start = performance.now();
      const { update, examples } = await honestUpdate(state.net, state.data, state.rows, global, state.plan, seed, client);
      writeFrame(socket, encodeUpdate(round, examples, performance.now() - start, update));
      return;
    }
    case 'bye':
      state?.net.dispose();
      socket.end();
      return;
    default:
      throw new Error(`unexpected ${kindOf(payload)} message`);
  }
}

// Messages are handled one at a time, in order, though handling is asynchronous.
const reader = new FrameReader();
let queue = Promise.resolve();
socket.on('connect', () => writeFrame(socket, encodeHello(client)));
socket.on('data', (chunk) => {
  for (const frame of reader.push(chunk)) queue = queue.then(() => handle(frame));
  queue = queue.catch((err: unknown) => {
    process.stderr.write(`federated client ${client}: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
});
// The server is gone (or said bye): nothing more to do. fork's IPC channel would keep us alive.
socket.on('close', () => process.exit(0));
socket.on('error', () => process.exit(1));
