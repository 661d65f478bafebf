import { median } from '../../core/stats.js';

/** What the clip did to one round's updates, for the report. */
export interface ClippingRound {
  round: number;
  /** Updates clipped this round (central: those the server aggregated; local: those the clients sent). */
  updates: number;
  /** Updates longer than S, which the clip shortened. */
  clipped: number;
  clippedFraction: number;
  /** L2 norms of the updates before the clip. */
  norms: { min: number; median: number; mean: number; max: number };
}

/**
 * The L2 norms of the updates before the clip, by round. A clip S far below the typical norm
 * throws most of the signal away; far above it, the noise sigma * S drowns the signal (McMahan
 * et al. 2018 tune S in their experiments for this reason). The log is the experimenter's
 * measurement: under secure aggregation or local DP the server itself would not learn these norms.
 */
export class ClippingLog {
  private readonly norms = new Map<number, number[]>();

  constructor(readonly clip: number) {}

  add(round: number, norm: number): void {
    const list = this.norms.get(round);
    if (list) list.push(norm);
    else this.norms.set(round, [norm]);
  }

  /** One entry per round that clipped anything, in round order. */
  rounds(): ClippingRound[] {
    return [...this.norms.entries()]
      .sort(([a], [b]) => a - b)
      .map(([round, norms]) => {
        const clipped = norms.filter((n) => n > this.clip).length;
        return {
          round,
          updates: norms.length,
          clipped,
          clippedFraction: clipped / norms.length,
          norms: {
            min: Math.min(...norms),
            median: median(norms),
            mean: norms.reduce((s, n) => s + n, 0) / norms.length,
            max: Math.max(...norms),
          },
        };
      });
  }
}
