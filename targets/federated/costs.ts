/**
 * What a federated round costs, counted exactly: bytes and messages per client per exchange,
 * compute on the critical path. A round is a sequence of exchanges (the model broadcast, the
 * uploads, or a secure aggregation's four protocol rounds), each a burst of messages in which
 * clients act in parallel; network-profile.ts turns the counts into projected wall time.
 */

/** What one client moved in one exchange, to and from the server. */
export interface ClientTraffic {
  sentBytes: number;
  receivedBytes: number;
  messagesSent: number;
}

export interface Exchange {
  name: string;
  /** One-way network crossings in sequence: 1 for a broadcast or an upload, 2 for an upload answered by the server. */
  trips: number;
  /** Every client that took part, by client id. The server's side is their sum: it is the other end of each message. */
  clients: Record<number, ClientTraffic>;
  /** Messages the server sent. */
  serverMessages: number;
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

/** An exchange where each listed client moves its bytes one way in one message, and nothing is computed. */
export function transfer(name: string, direction: 'up' | 'down', bytes: ReadonlyArray<readonly [client: number, bytes: number]>): Exchange {
  const up = direction === 'up';
  return {
    name,
    trips: 1,
    clients: Object.fromEntries(bytes.map(([k, b]) => [k, { sentBytes: up ? b : 0, receivedBytes: up ? 0 : b, messagesSent: up ? 1 : 0 }])),
    serverMessages: up ? 0 : bytes.length,
    computeMs: 0,
  };
}

export interface ExchangeTotals {
  clients: number;
  /** Bytes the clients sent, summed: what the server received. */
  upBytes: number;
  /** Bytes the server sent. */
  downBytes: number;
  messages: number;
  /** The most bytes one client sent plus received: the load on the busiest client link. */
  maxClientBytes: number;
}

export function exchangeTotals(e: Exchange): ExchangeTotals {
  const t = { clients: 0, upBytes: 0, downBytes: 0, messages: e.serverMessages, maxClientBytes: 0 };
  for (const c of Object.values(e.clients)) {
    t.clients++;
    t.upBytes += c.sentBytes;
    t.downBytes += c.receivedBytes;
    t.messages += c.messagesSent;
    t.maxClientBytes = Math.max(t.maxClientBytes, c.sentBytes + c.receivedBytes);
  }
  return t;
}
