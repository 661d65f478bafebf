/** Small statistics the attacks share. */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln of the normal density N(x; mean, std^2). */
export function normalLogPdf(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return -0.5 * z * z - Math.log(std) - LOG_SQRT_2PI;
}

export function median(v: ArrayLike<number>): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
