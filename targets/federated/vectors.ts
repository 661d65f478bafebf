/**
 * Flat parameter vectors. A federated update is every parameter of the model in `params` order
 * in one Float32Array: what goes on the wire, what aggregators combine, what attacks read.
 */

/** The per-tensor arrays of Network.getWeights as one vector. */
export function flatten(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A flat vector cut into per-tensor views of the given sizes (no copy). */
export function unflatten(flat: Float32Array, sizes: readonly number[]): Float32Array[] {
  const total = sizes.reduce((s, n) => s + n, 0);
  if (total !== flat.length) throw new RangeError(`vector has ${flat.length} values, the model ${total}`);
  let at = 0;
  return sizes.map((n) => flat.subarray(at, (at += n)));
}

/** Inner product, accumulated in float64. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export const l2Norm = (v: Float32Array): number => Math.sqrt(dot(v, v));

/** A new vector c * v. */
export function scaled(v: Float32Array, c: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * c;
  return out;
}

/** acc += c * v, in place. */
export function addScaled(acc: Float32Array | Float64Array, v: Float32Array, c: number): void {
  for (let i = 0; i < v.length; i++) acc[i] += c * v[i];
}
