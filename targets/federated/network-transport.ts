/**
 * The federated server and its clients as separate processes on loopback TCP: each client is a
 * `child_process.fork` of client-process.js holding only its own rows, and every message is a
 * length-prefixed frame on a socket, so the time and bytes measured are those of a real
 * (if short) network. A client whose process dies, or who misses the round deadline, is a
 * dropout: its update never arrives and the round goes on without it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../core/errors.js';
import { takeRecords } from '../records.js';
import { FrameReader, writeFrame } from './frames.js';
import { decodeHello, decodeUpdate, encodeRound, encodeSetup, encodeSignal, kindOf } from './messages.js';
import { roundExchanges, type ClientSetup, type FederatedTransport, type Reply } from './transport.js';

export interface NetworkTransportOptions {
  /** A client that has not answered a round within this many ms is dropped for good. */
  roundTimeoutMs?: number;
  /** Time each client process gets to start, load its tfjs backend and take its data. */
  startupTimeoutMs?: number;
}

const CLIENT_SCRIPT = fileURLToPath(new URL('./client-process.js', import.meta.url));
/** How long a client may take to exit after bye before it is killed. */
const EXIT_GRACE_MS = 5000;

/** The server's end of one client: its process, its socket, and frames not yet taken. */
class Peer {
  socket: Socket | null = null;
  alive = true;
  private inbox: Buffer[] = [];
  private waiter: ((payload: Buffer | null) => void) | null = null;
  private connected!: () => void;
  /** Resolves when the client has said hello, or has died trying. */
  readonly ready = new Promise<void>((resolve) => (this.connected = resolve));

  constructor(
    readonly client: number,
    readonly child: ChildProcess,
  ) {
    child.on('exit', () => this.lose());
  }

  attach(socket: Socket): void {
    this.socket = socket;
    socket.on('close', () => this.lose());
    this.connected();
  }

  deliver(payload: Buffer): void {
    if (this.waiter) this.take(payload);
    else this.inbox.push(payload);
  }

  /** The next frame from this client, or null if it dies or `timeoutMs` passes first (then it is cut off). */
  next(timeoutMs: number): Promise<Buffer | null> {
    if (this.inbox.length) return Promise.resolve(this.inbox.shift()!);
    if (!this.alive) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.lose(), timeoutMs);
      this.waiter = (payload) => {
        clearTimeout(timer);
        resolve(payload);
      };
    });
  }

  send(payload: Buffer): boolean {
    if (!this.alive || !this.socket) return false;
    writeFrame(this.socket, payload);
    return true;
  }

  /** Dead, crashed or too slow: from now on a dropout in every round. */
  lose(): void {
    if (!this.alive) return;
    this.alive = false;
    this.socket?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.connected();
    this.take(null);
  }

  private take(payload: Buffer | null): void {
    const w = this.waiter;
    this.waiter = null;
    w?.(payload);
  }
}

const counters = (p: Peer): { read: number; written: number } => ({ read: p.socket?.bytesRead ?? 0, written: p.socket?.bytesWritten ?? 0 });

export interface NetworkTransport extends FederatedTransport {
  /** Process ids of the clients, by client: to watch them, or to kill one and see it become a dropout. */
  pids(): number[];
}

/** Networked clients, one process each. Only honest clients run there: a behaviour is code the server cannot ship. */
export function networkTransport(options: NetworkTransportOptions = {}): (setup: ClientSetup) => Promise<NetworkTransport> {
  const { roundTimeoutMs = 120_000, startupTimeoutMs = 60_000 } = options;
  return async (setup) => {
    if (setup.behaviours.size > 0) {
      const names = [...setup.behaviours.values()].map((b) => b.name).join(', ');
      throw new InputError(`client behaviours (${names}) run in-process only; drop them or use the in-process transport`, { field: 'federated.transport' });
    }
    if (setup.aggregator.serverSees === 'sum') {
      // Secure aggregation would have to run between the client processes; here the updates go up in the clear.
      throw new InputError(`the networked transport carries plain updates, which '${setup.aggregator.name}' keeps from the server; use the in-process transport`, {
        field: 'federated.transport',
      });
    }
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const peers = setup.partition.map((_, k) => new Peer(k, fork(CLIENT_SCRIPT, [String(port), String(k)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));

    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      const reader = new FrameReader();
      let peer: Peer | null = null;
      socket.on('data', (chunk) => {
        for (const frame of reader.push(chunk)) {
          if (peer) peer.deliver(frame);
          else if (kindOf(frame) === 'hello') (peer = peers[decodeHello(frame)])?.attach(socket);
        }
      });
      socket.on('error', () => peer?.lose());
    });

    const startup = setTimeout(() => peers.forEach((p) => p.socket === null && p.lose()), startupTimeoutMs);
    await Promise.all(peers.map((p) => p.ready));
    clearTimeout(startup);
    const backend = tf.getBackend();
    for (const p of peers) {
      const records = takeRecords(setup.data, setup.partition[p.client]);
      p.send(encodeSetup({ model: setup.model, input: setup.input, plan: setup.plan, backend, rows: records.n, features: records.x, labels: records.y }));
    }
    await Promise.all(peers.map(async (p) => (await p.next(startupTimeoutMs)) ?? p.lose()));

    return {
      mode: 'network',
      pids: () => peers.map((p) => p.child.pid ?? -1),
      async round(round, global, jobs) {
        // The sockets' own counters: the bytes that really crossed, frame headers included.
        const before = new Map(jobs.map(({ client }) => [client, counters(peers[client])]));
        const sent = jobs.filter((job) => peers[job.client].send(encodeRound(round, job.seed, global)));
        const answers = await Promise.all(sent.map((job) => peers[job.client].next(roundTimeoutMs)));
        const replies: Reply[] = [];
        answers.forEach((payload, i) => {
          if (payload === null || kindOf(payload) !== 'update') return;
          const { client } = sent[i];
          const m = decodeUpdate(payload);
          const bytes = counters(peers[client]).read - before.get(client)!.read;
          if (m.round === round) replies.push({ update: { client, update: m.update, examples: m.examples }, computeMs: m.computeMs, bytes });
        });
        const down = sent.map(({ client }) => [client, counters(peers[client]).written - before.get(client)!.written] as const);
        return { updates: replies.map((r) => r.update), ...roundExchanges(down, replies) };
      },
      async close() {
        for (const p of peers) if (p.send(encodeSignal('bye'))) p.socket!.end();
        // An unref'd timer: once every client has exited, nothing keeps this process waiting.
        const killLate = (p: Peer) => sleep(EXIT_GRACE_MS, undefined, { ref: false }).then(() => p.lose());
        const exited = (p: Peer) => p.child.exitCode !== null || p.child.signalCode !== null;
        await Promise.all(peers.map((p) => (exited(p) ? undefined : Promise.race([once(p.child, 'exit'), killLate(p)]))));
        server.close();
      },
    };
  };
}
