import type { Rng } from '../../core/rng.js';
import type { Round } from './rounds.js';

/** Which clients vanish when: a client that drops in a round sends nothing from then on. */
export interface DropoutSchedule {
  drops(round: Round, client: number): boolean;
}

export const noDropout: DropoutSchedule = { drops: () => false };

/** The clients listed under a round drop at its start, before sending that round's message. */
export function dropoutAt(sets: Partial<Record<Round, readonly number[]>>): DropoutSchedule {
  const byRound = new Map(Object.entries(sets).map(([round, ids]) => [round, new Set(ids)]));
  return { drops: (round, client) => byRound.get(round)?.has(client) ?? false };
}

/** Each remaining client drops in each round with probability p, independently. */
export function dropoutWithProbability(p: number, rng: Rng): DropoutSchedule {
  return { drops: () => p > 0 && rng.uniform() < p };
}
