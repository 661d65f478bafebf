import type { Rng } from '../../core/rng.js';
import type { Sampling } from './config.js';

/**
 * The clients asked to a round, ascending: each with probability `rate` independently (Poisson
 * sampling, what DP-FedAvg's accounting assumes, McMahan et al. 2018), or exactly `count` drawn
 * without replacement. Rate 1 draws nothing, so it leaves the stream as it was.
 */
export function sampleClients(clients: number, sampling: Sampling, rng: Rng): number[] {
  if ('count' in sampling) return Array.from(rng.permutation(clients).subarray(0, sampling.count)).sort((a, b) => a - b);
  const all = Array.from({ length: clients }, (_, k) => k);
  return sampling.rate >= 1 ? all : all.filter(() => rng.uniform() < sampling.rate);
}

/** The sampled clients that go offline before the round reaches them, each with probability `p`. */
export function dropClients(sampled: readonly number[], p: number, rng: Rng): Set<number> {
  return new Set(p > 0 ? sampled.filter(() => rng.uniform() < p) : []);
}
