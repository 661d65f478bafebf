/**
 * Fixed-point encoding of float updates into Z_2^32, the ring the masks live in.
 *
 * A coordinate is clipped to [-clip, clip] (after an optional L2 clip of the whole update) and
 * mapped to an integer level q in [0, L], L = 2^bits - 1, with scale = L / (2 clip) levels per
 * unit. The server unmasks sum_u q_u mod 2^32; that is the true integer sum only if it cannot
 * wrap, so the headroom rule is count * L <= 2^32 - 1 for the `count` clients summed, i.e.
 * bits <= maxBits(count). Then sum_u x_u ~= (sum_u q_u) / scale - count * clip.
 */
import type { Rng } from '../../core/rng.js';

export const MODULUS = 2 ** 32;

export type Rounding = 'stochastic' | 'deterministic';

export interface QuantizerSettings {
  /** Each coordinate is clipped to [-clip, clip]. */
  clip: number;
  /** If set, the whole update is first scaled down to this L2 norm when it is longer. */
  l2Clip?: number;
  /** Levels 0..2^bits - 1 per client and coordinate. */
  bits: number;
  /** Stochastic rounding is unbiased (E[q] = v); deterministic rounds to the nearest level. */
  rounding: Rounding;
}

/** The largest bits with count * (2^bits - 1) <= 2^32 - 1: the sum of `count` clients never wraps. */
export function maxBits(count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  return Math.floor(Math.log2(Math.floor((MODULUS - 1) / count) + 1));
}

export class Quantizer {
  /** L = 2^bits - 1, the highest level. */
  readonly levels: number;
  /** Levels per unit of the input. */
  readonly scale: number;

  constructor(readonly settings: QuantizerSettings) {
    const { clip, bits, l2Clip } = settings;
    if (!(clip > 0 && Number.isFinite(clip))) throw new RangeError(`clip must be a positive number, got ${clip}`);
    if (l2Clip !== undefined && !(l2Clip > 0 && Number.isFinite(l2Clip))) throw new RangeError(`l2Clip must be a positive number, got ${l2Clip}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 32) throw new RangeError(`bits must be an integer in [1, 32], got ${bits}`);
    this.levels = 2 ** bits - 1;
    this.scale = this.levels / (2 * clip);
  }

  /** One client's update as levels; `rng` supplies the stochastic rounding (unused when deterministic). */
  quantize(update: Float32Array, rng: Rng): Uint32Array {
    const { clip, l2Clip, rounding } = this.settings;
    let norm = 0;
    for (let i = 0; i < update.length; i++) {
      if (!Number.isFinite(update[i])) throw new RangeError(`update coordinate ${i} is ${update[i]}; secure aggregation needs finite values`);
      norm += update[i] * update[i];
    }
    const factor = l2Clip !== undefined && Math.sqrt(norm) > l2Clip ? l2Clip / Math.sqrt(norm) : 1;
    const out = new Uint32Array(update.length);
    // 32 random bits per coordinate, drawn at AES speed; u = w / 2^32 is uniform on [0, 1).
    const noise = rounding === 'stochastic' ? new Uint32Array(update.length) : null;
    if (noise) new Uint8Array(noise.buffer).set(rng.bytes(noise.byteLength));
    for (let i = 0; i < update.length; i++) {
      const v = (Math.min(clip, Math.max(-clip, update[i] * factor)) + clip) * this.scale;
      // v + u can round up to L + 1 in a double when L has 31+ bits; the min keeps q a level.
      out[i] = noise ? Math.min(this.levels, Math.floor(v + noise[i] / MODULUS)) : Math.round(v);
    }
    return out;
  }

  /** The float sum of `count` clients from the sum of their levels. */
  dequantize(sum: Uint32Array, count: number): Float32Array {
    if (count * this.levels > MODULUS - 1) throw new RangeError(`the sum of ${count} clients at ${this.settings.bits} bits can wrap mod 2^32`);
    const offset = count * this.settings.clip;
    return Float32Array.from(sum, (s) => s / this.scale - offset);
  }

  /**
   * Largest |dequantized sum - sum of the clipped inputs| per coordinate for `count` clients:
   * each client's rounding moves it by < 1 level (stochastic) or <= 1/2 level (nearest), i.e.
   * 1/scale or 1/(2 scale) in input units; the float32 result adds at most half an ulp of
   * |sum| <= count * clip, bounded here by count * clip * 2^-23 to cover the double arithmetic too.
   */
  sumErrorBound(count: number): number {
    const perClient = this.settings.rounding === 'stochastic' ? 1 / this.scale : 0.5 / this.scale;
    return count * perClient + count * this.settings.clip * 2 ** -23;
  }
}
