/**
 * Who masks with and shares secrets to whom. Bonawitz et al. 2017 use the complete graph: every
 * pair of clients agrees a mask and every client shares its secrets with all others, so a client
 * does O(n) key agreements and O(n t) share evaluations. SecAgg+ (Bell et al. 2020) replaces it
 * with a sparse random k-regular graph, k = O(log n), which keeps the sum private against a
 * bounded fraction of corrupt or dropped clients with high probability while cutting client work
 * to O(k) and O(k t).
 */
import type { Rng } from '../../core/rng.js';

/** neighbours[u]: the clients u is joined to, ascending, never u itself. */
export type Neighbourhoods = number[][];

export function completeGraph(n: number): Neighbourhoods {
  return Array.from({ length: n }, (_, u) => Array.from({ length: n - 1 }, (_, i) => (i < u ? i : i + 1)));
}

/**
 * The Harary graph H(k, n) laid on a random order of the clients: each client is joined to the
 * k/2 clients before and after it in the order (cyclically), so every degree is exactly k and the
 * graph stays k-connected. The random order is what makes the neighbourhoods random, as in the
 * SecAgg+ implementations of FCP (SecretSharingHararyGraph) and Flower (SecAggPlusWorkflow).
 * k must be even with 2 <= k <= n - 1.
 */
export function hararyGraph(n: number, k: number, rng: Rng): Neighbourhoods {
  if (!Number.isInteger(k) || k % 2 !== 0 || k < 2 || k > n - 1) throw new RangeError(`a Harary graph needs an even degree in [2, ${n - 1}], got ${k}`);
  const order = rng.permutation(n);
  const out: Neighbourhoods = Array.from({ length: n }, () => []);
  for (let pos = 0; pos < n; pos++) {
    for (let offset = 1; offset <= k / 2; offset++) {
      const [a, b] = [order[pos], order[(pos + offset) % n]];
      out[a].push(b);
      out[b].push(a);
    }
  }
  for (const list of out) list.sort((a, b) => a - b);
  return out;
}
