/**
 * Coordinate-wise statistics over many updates. Sorting every coordinate's column costs
 * O(n log n) per coordinate and copying a column out of n separate arrays thrashes the cache;
 * here a block of coordinates is transposed at a time (each update read sequentially) and each
 * column is reduced by quickselect, O(n) expected (bench.ts measures both).
 */

/** Floats in one transposed block: sized to stay in a core's L2 cache. */
const BLOCK_FLOATS = 1 << 16;
const INSERTION_BELOW = 8;

/**
 * Rearranges a[lo, hi) so that a[k] holds the value that sorted order puts there, with nothing
 * larger before it and nothing smaller after it. Quickselect with median-of-three pivots and a
 * branchless Lomuto partition: on random floats a partition's comparisons are coin flips, and
 * without branches to mispredict it runs 3x faster than Hoare's two-pointer scheme (measured at
 * n = 100), ending in an insertion sort of the last few.
 */
export function select(a: Float32Array, lo: number, hi: number, k: number): void {
  let l = lo;
  let r = hi - 1;
  while (r - l >= INSERTION_BELOW) {
    const m = (l + r) >> 1;
    const x = a[l], y = a[m], z = a[r];
    const p = x < y ? (y < z ? m : x < z ? r : l) : x < z ? l : y < z ? r : m;
    const pivot = a[p];
    a[p] = a[r];
    a[r] = pivot;
    let store = l;
    for (let i = l; i < r; i++) {
      const v = a[i];
      a[i] = a[store];
      a[store] = v;
      store += +(v < pivot);
    }
    a[r] = a[store];
    a[store] = pivot;
    if (k < store) r = store - 1;
    else if (k > store) l = store + 1;
    else return;
  }
  for (let i = l + 1; i <= r; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= l && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** The smallest of a[lo, hi). */
export function minOf(a: Float32Array, lo: number, hi: number): number {
  let m = a[lo];
  for (let i = lo + 1; i < hi; i++) if (a[i] < m) m = a[i];
  return m;
}

/**
 * out[j] = reduce(column j) for every coordinate j, where column j (the n updates' values at j)
 * is handed over as col[from, from + n) of a scratch array the reducer may reorder.
 */
export function columnwise(updates: readonly Float32Array[], reduce: (col: Float32Array, from: number, n: number) => number): Float32Array {
  const n = updates.length;
  const d = updates[0].length;
  const out = new Float32Array(d);
  const width = Math.max(1, Math.floor(BLOCK_FLOATS / n));
  const block = new Float32Array(width * n);
  for (let base = 0; base < d; base += width) {
    const w = Math.min(width, d - base);
    for (let k = 0; k < n; k++) {
      const u = updates[k];
      for (let j = 0; j < w; j++) block[j * n + k] = u[base + j];
    }
    for (let j = 0; j < w; j++) out[base + j] = reduce(block, j * n, n);
  }
  return out;
}
