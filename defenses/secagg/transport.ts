import type { CostLedger } from './costs.js';
import type { PartyId, Round } from './rounds.js';

export interface Delivery {
  from: PartyId;
  payload: Uint8Array;
}

/**
 * How protocol messages move. Clients only ever talk to the server (phones cannot reach each
 * other, so Bonawitz et al. 2017 relay every client-to-client message through it); the protocol
 * code is written against this interface so a networked transport can replace the in-process one.
 */
export interface Transport {
  /** Queues a message; a networked transport writes it to the connection. */
  send(round: Round, from: PartyId, to: PartyId, payload: Uint8Array): void;
  /**
   * The messages of `round` addressed to `to` from any of `expected`, in arrival order. A
   * networked transport resolves at the round's deadline with whoever answered: a party that
   * did not is a dropout, which is how the server learns who dropped.
   */
  collect(round: Round, to: PartyId, expected: readonly PartyId[]): Promise<Delivery[]>;
}

/** Delivery within one process, with every payload byte counted for sender and recipient. */
export class InProcessTransport implements Transport {
  private readonly inboxes = new Map<string, Delivery[]>();

  constructor(private readonly ledger: CostLedger) {}

  send(round: Round, from: PartyId, to: PartyId, payload: Uint8Array): void {
    this.ledger.message(round, from, to, payload.length);
    const key = `${round}/${to}`;
    const inbox = this.inboxes.get(key) ?? [];
    inbox.push({ from, payload });
    this.inboxes.set(key, inbox);
  }

  async collect(round: Round, to: PartyId, expected: readonly PartyId[]): Promise<Delivery[]> {
    const key = `${round}/${to}`;
    const inbox = this.inboxes.get(key) ?? [];
    this.inboxes.delete(key);
    const senders = new Set(expected);
    return inbox.filter((d) => senders.has(d.from));
  }
}
