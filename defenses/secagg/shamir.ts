import type { Rng } from '../../core/rng.js';
import { inverse, mod, P, randomElement } from './field.js';

/** One Shamir share: the point (x, f(x)) of the dealer's polynomial, x a non-zero small integer. */
export interface Share {
  x: number;
  y: bigint;
}

/**
 * Shamir's t-out-of-n sharing (Bonawitz et al. 2017, Sec. 3, secret sharing): f(x) = secret +
 * a_1 x + ... + a_{t-1} x^{t-1} with uniform a_i, one share f(x) for each holder's x. Any t
 * shares determine f and so f(0); any t-1 are independent of the secret.
 */
export function share(secret: bigint, threshold: number, xs: readonly number[], rng: Rng): Share[] {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > xs.length) {
    throw new RangeError(`threshold ${threshold} must be in [1, ${xs.length}] (the number of holders)`);
  }
  if (new Set(xs).size !== xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new RangeError('share points must be distinct positive integers');
  }
  const coefficients = [mod(secret)];
  for (let i = 1; i < threshold; i++) coefficients.push(randomElement(rng));
  return xs.map((x) => {
    // Horner; x is small, so acc * x stays a few bits above p before the reduction.
    const bx = BigInt(x);
    let acc = coefficients[threshold - 1];
    for (let i = threshold - 2; i >= 0; i--) acc = (acc * bx + coefficients[i]) % P;
    return { x, y: acc };
  });
}

/**
 * The Lagrange coefficients that evaluate at 0 the polynomial through points at `xs`:
 * lambda_i = prod_{j != i} x_j / (x_j - x_i). A server reconstructing many secrets from the same
 * holders computes them once. The numerators and denominators are products of small integers,
 * so they are exact BigInts; one batch inversion (Montgomery's trick) turns them into field elements.
 */
export function lagrangeAtZero(xs: readonly number[]): bigint[] {
  const k = xs.length;
  const num: bigint[] = [];
  const den: bigint[] = [];
  for (let i = 0; i < k; i++) {
    let a = 1n;
    let b = 1n;
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      a *= BigInt(xs[j]);
      b *= BigInt(xs[j] - xs[i]);
    }
    if (b === 0n) throw new RangeError('share points must be distinct');
    num.push(mod(a));
    den.push(mod(b));
  }
  // prefix[i] = den[0] * ... * den[i-1]; one inverse of the whole product gives every 1/den[i].
  const prefix = [1n];
  for (let i = 0; i < k; i++) prefix.push(mod(prefix[i] * den[i]));
  let inv = inverse(prefix[k]);
  const out = new Array<bigint>(k);
  for (let i = k - 1; i >= 0; i--) {
    out[i] = mod(num[i] * mod(inv * prefix[i]));
    inv = mod(inv * den[i]);
  }
  return out;
}

/** f(0) from the given shares (all of them are used; pass exactly t for a degree t-1 polynomial). */
export function reconstruct(shares: readonly Share[], coefficients = lagrangeAtZero(shares.map((s) => s.x))): bigint {
  let acc = 0n;
  for (let i = 0; i < shares.length; i++) acc += coefficients[i] * shares[i].y;
  return mod(acc);
}
