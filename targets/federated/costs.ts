/**
 * What a federated round costs, counted exactly: messages and bytes per exchange, compute on
 * the critical path. A round is a sequence of exchanges (the model broadcast, the uploads, or
 * a secure aggregation's four protocol rounds), each a burst of messages in which clients act
 * in parallel; network-profile.ts turns the counts into projected wall time.
 */

export interface Exchange {
  name: string;
  /** One-way network crossings in sequence: 1 for a broadcast or an upload, 2 for an upload answered by the server. */
  trips: number;
  /** Clients taking part. */
  clients: number;
  messages: number;
  /** Bytes the clients sent to the server, summed over clients. */
  upBytes: number;
  /** Bytes the server sent to the clients, summed. */
  downBytes: number;
  /** The most bytes one client sent plus received: the load on the busiest client link. */
  maxClientBytes: number;
  /** Compute inside the exchange on its critical path (slowest client plus server); 0 for a plain transfer. */
  computeMs: number;
}

export interface RoundCost {
  round: number;
  exchanges: Exchange[];
  /** The slowest client's local training: clients train in parallel. */
  clientComputeMs: number;
  /** The server's aggregation and update, outside any protocol exchange. */
  serverComputeMs: number;
  /** Wall time measured here: real for the networked transport; in-process, every party runs in turn on one thread. */
  measuredMs: number;
}

/** An exchange where each listed client moves `bytes[k]` in one direction and nothing is computed. */
export function transfer(name: string, direction: 'up' | 'down', bytes: readonly number[]): Exchange {
  const total = bytes.reduce((s, b) => s + b, 0);
  return {
    name,
    trips: 1,
    clients: bytes.length,
    messages: bytes.length,
    upBytes: direction === 'up' ? total : 0,
    downBytes: direction === 'down' ? total : 0,
    maxClientBytes: bytes.reduce((m, b) => Math.max(m, b), 0),
    computeMs: 0,
  };
}
