/**
 * Krum's scores (Blanchard et al. 2017, Sec. 4): for each update, the sum of squared distances
 * to its n - f - 2 nearest other updates. A Byzantine update far from the honest cluster has a
 * large score whatever direction it points in.
 */
import { InputError } from '../../core/errors.js';

/** Coordinates per pass: the block of every update stays in cache while all pairs read it. */
const BLOCK = 1024;

/** Squared Euclidean distances between every pair, row-major n x n, accumulated in float64. */
export function pairwiseSquaredDistances(vectors: readonly Float32Array[]): Float64Array {
  const n = vectors.length;
  const d = vectors[0].length;
  const dist = new Float64Array(n * n);
  for (let base = 0; base < d; base += BLOCK) {
    const end = Math.min(d, base + BLOCK);
    for (let i = 0; i < n; i++) {
      const a = vectors[i];
      for (let j = i + 1; j < n; j++) {
        const b = vectors[j];
        // Four running sums: one would serialise every add behind the last (float add latency).
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let c = base;
        for (; c + 3 < end; c += 4) {
          const t0 = a[c] - b[c], t1 = a[c + 1] - b[c + 1], t2 = a[c + 2] - b[c + 2], t3 = a[c + 3] - b[c + 3];
          s0 += t0 * t0;
          s1 += t1 * t1;
          s2 += t2 * t2;
          s3 += t3 * t3;
        }
        for (; c < end; c++) s0 += (a[c] - b[c]) ** 2;
        dist[i * n + j] += s0 + s1 + s2 + s3;
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dist[j * n + i] = dist[i * n + j];
  return dist;
}

/** Blanchard et al.'s condition n > 2f + 2, checked against the updates that reached this round. */
export function requireKrumQuorum(n: number, f: number, field: string): void {
  if (n <= 2 * f + 2) {
    const fix = n >= 3 ? `lower f to at most ${Math.floor((n - 3) / 2)} or sample more clients` : 'sample more clients';
    throw new InputError(`Krum with f=${f} needs more than 2f + 2 = ${2 * f + 2} updates in a round, got ${n}; ${fix}`, { field: `${field}.f` });
  }
}

/** Each update's Krum score: the sum of its n - f - 2 smallest squared distances to the others. */
export function krumScores(vectors: readonly Float32Array[], f: number): Float64Array {
  const n = vectors.length;
  const dist = pairwiseSquaredDistances(vectors);
  const nearest = n - f - 2;
  return Float64Array.from({ length: n }, (_, i) => {
    const others = Float64Array.from({ length: n - 1 }, (_, j) => dist[i * n + (j < i ? j : j + 1)]).sort();
    return others.subarray(0, nearest).reduce((s, v) => s + v, 0);
  });
}

/** Indices of the m lowest scores, lowest first (ties to the lower index). */
export function lowest(scores: Float64Array, m: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[a] - scores[b] || a - b)
    .slice(0, m);
}
