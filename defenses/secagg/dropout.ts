import type { Rng } from '../../core/rng.js';
import type { Round } from './rounds.js';

/** Which clients vanish when: a client that drops in a round sends nothing from then on. */
export interface DropoutSchedule {
  drops(round: Round, client: number): boolean;
}

export const noDropout: DropoutSchedule = { drops: () => false };

/**
 * The clients listed under a round drop at its start, before sending that round's message;
 * besides, each client still there drops in each round with `probability`, drawn from `rng`.
 */
export function dropoutAt(listed: Partial<Record<Round, readonly number[]>>, probability = 0, rng?: Rng): DropoutSchedule {
  if (probability > 0 && !rng) throw new RangeError('random dropout needs an rng');
  const byRound = new Map(Object.entries(listed).map(([round, ids]) => [round, new Set(ids)]));
  return {
    drops: (round, client) => (byRound.get(round)?.has(client) ?? false) || (probability > 0 && rng!.uniform() < probability),
  };
}
