import { z } from 'zod';
import { mean } from '../../core/stats.js';
import { exchangeTotals, type ExchangeTotals, type RoundCost } from './costs.js';

/**
 * A network to project counted traffic onto. Every client has its own link of `mbps`; all
 * client traffic also passes the server's link (`serverMbps`, by default as fast as a client's:
 * a symmetric star, the cautious assumption for a LAN; give a WAN server its datacenter link).
 */
export const networkProfileSchema = z.union([
  z.enum(['lan', 'wan']),
  z
    .object({
      latencyMs: z.number().nonnegative(),
      mbps: z.number().positive(),
      serverMbps: z.number().positive().optional(),
    })
    .strict(),
]);
export type NetworkProfileOption = z.input<typeof networkProfileSchema>;

export interface NetworkProfile {
  name: string;
  /** One-way latency of a message. */
  latencyMs: number;
  mbps: number;
  serverMbps: number;
}

export const NETWORK_PROFILES = {
  lan: { name: 'lan', latencyMs: 1, mbps: 1000, serverMbps: 1000 },
  wan: { name: 'wan', latencyMs: 50, mbps: 20, serverMbps: 20 },
} as const satisfies Record<string, NetworkProfile>;

export function resolveProfile(option: NetworkProfileOption): NetworkProfile {
  if (typeof option === 'string') return NETWORK_PROFILES[option];
  const { latencyMs, mbps, serverMbps = mbps } = option;
  return { name: `${latencyMs} ms, ${mbps} Mbit/s`, latencyMs, mbps, serverMbps };
}

const transferMs = (bytes: number, mbps: number): number => (bytes * 8) / (mbps * 1000);

/**
 * Projected wall time of a round on `profile`: per exchange, its trips' latency, then the
 * slower of the busiest client link and the server link carrying every byte, then its compute;
 * plus the slowest client's training and the server's own work. Transfers and compute do not
 * overlap (a client uploads after it trains), so this is what a synchronous round takes.
 */
export function projectRoundMs(cost: RoundCost, profile: NetworkProfile): number {
  let ms = cost.clientComputeMs + cost.serverComputeMs;
  for (const e of cost.exchanges) {
    const t = exchangeTotals(e);
    ms += e.trips * profile.latencyMs + e.computeMs;
    ms += Math.max(transferMs(t.maxClientBytes, profile.mbps), transferMs(t.upBytes + t.downBytes, profile.serverMbps));
  }
  return ms;
}

/** A run's costs in a few numbers per round, measured beside projected, for reports. */
export interface CostSummary {
  profile: NetworkProfile;
  rounds: number;
  measuredMsPerRound: number;
  projectedMsPerRound: number;
  /** Per client taking part (the most clients any exchange of the round had), mean over rounds. */
  upBytesPerClient: number;
  downBytesPerClient: number;
  messagesPerRound: number;
}

export function summarizeCosts(costs: readonly RoundCost[], profile: NetworkProfile): CostSummary {
  const over = (f: (c: RoundCost) => number): number => mean(costs.map(f));
  const perClient = (c: RoundCost, bytes: (t: ExchangeTotals) => number): number => {
    const totals = c.exchanges.map(exchangeTotals);
    const clients = Math.max(0, ...totals.map((t) => t.clients));
    return clients ? totals.reduce((s, t) => s + bytes(t), 0) / clients : 0;
  };
  return {
    profile,
    rounds: costs.length,
    measuredMsPerRound: over((c) => c.measuredMs),
    projectedMsPerRound: over((c) => projectRoundMs(c, profile)),
    upBytesPerClient: over((c) => perClient(c, (e) => e.upBytes)),
    downBytesPerClient: over((c) => perClient(c, (e) => e.downBytes)),
    messagesPerRound: over((c) => c.exchanges.reduce((s, e) => s + exchangeTotals(e).messages, 0)),
  };
}
