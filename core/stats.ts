/** Small statistics the attacks share. */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln of the normal density N(x; mean, std^2). */
export function normalLogPdf(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return -0.5 * z * z - Math.log(std) - LOG_SQRT_2PI;
}

/** The arithmetic mean; 0 for no values (an empty run has nothing to average). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : 0;
}

/** The index of the first value of the ascending array that is >= s (its length when none is). */
export function lowerBound(asc: ArrayLike<number>, s: number): number {
  let lo = 0;
  let hi = asc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (asc[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
