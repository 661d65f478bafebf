import { ROUNDS, SERVER, type PartyId, type Round } from './rounds.js';

/** What one party spent in one round. */
export interface RoundCost {
  sentBytes: number;
  receivedBytes: number;
  messagesSent: number;
  /** CPU time of the party's own step (crypto, masking, quantization), not waiting. */
  computeMs: number;
}

export type PartyCosts = Record<Round, RoundCost>;

export interface Costs {
  /** Protocol rounds started (4 when the aggregation completes). */
  rounds: number;
  server: PartyCosts;
  clients: PartyCosts[];
}

const emptyParty = (): PartyCosts =>
  Object.fromEntries(ROUNDS.map((r) => [r, { sentBytes: 0, receivedBytes: 0, messagesSent: 0, computeMs: 0 }])) as PartyCosts;

/** The sum over rounds of one party's costs. */
export function totalCost(party: PartyCosts): RoundCost {
  const total = { sentBytes: 0, receivedBytes: 0, messagesSent: 0, computeMs: 0 };
  for (const r of ROUNDS) {
    total.sentBytes += party[r].sentBytes;
    total.receivedBytes += party[r].receivedBytes;
    total.messagesSent += party[r].messagesSent;
    total.computeMs += party[r].computeMs;
  }
  return total;
}

/** Exact per-party, per-round accounting: transports report bytes, the protocol reports time. */
export class CostLedger {
  private readonly costs: Costs;

  constructor(clients: number) {
    this.costs = { rounds: 0, server: emptyParty(), clients: Array.from({ length: clients }, emptyParty) };
  }

  private party(id: PartyId): PartyCosts {
    return id === SERVER ? this.costs.server : this.costs.clients[id];
  }

  startRound(): void {
    this.costs.rounds++;
  }

  message(round: Round, from: PartyId, to: PartyId, bytes: number): void {
    this.party(from)[round].sentBytes += bytes;
    this.party(from)[round].messagesSent++;
    this.party(to)[round].receivedBytes += bytes;
  }

  /** Runs `step` as `party`'s work in `round` and records its wall time. */
  time<T>(round: Round, party: PartyId, step: () => T): T {
    const start = performance.now();
    try {
      return step();
    } finally {
      this.party(party)[round].computeMs += performance.now() - start;
    }
  }

  snapshot(): Costs {
    return structuredClone(this.costs);
  }
}
