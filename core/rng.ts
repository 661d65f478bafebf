import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { fillZiggurat } from './ziggurat.js';

const BLOCK = 1 << 16;
const ZEROS = Buffer.alloc(BLOCK);

/**
 * Random numbers from AES-256-CTR, a CSPRNG: unpredictable when keyed from the OS
 * (`Rng.secure()`), reproducible when keyed from a seed (`Rng.fromSeed()`, for tests and
 * seeded runs). DP noise and crypto masks draw from here; never from Math.random().
 */
export class Rng {
  private readonly key: Buffer;
  private readonly stream;
  private buf = Buffer.alloc(0);
  private pos = 0;
  private spareNormal: number | null = null;

  private constructor(key: Buffer) {
    this.key = key;
    this.stream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  static fromSeed(seed: number | string): Rng {
    return new Rng(createHash('sha256').update(`ppml-audit/rng/${seed}`).digest());
  }

  static secure(): Rng {
    return new Rng(randomBytes(32));
  }

  /** An independent stream for a named purpose; the same parent and label give the same child. */
  fork(label: string): Rng {
    return new Rng(createHash('sha256').update(this.key).update(`/${label}`).digest());
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      if (this.pos >= this.buf.length) this.refill();
      const take = Math.min(n - filled, this.buf.length - this.pos);
      this.buf.copy(out, filled, this.pos, this.pos + take);
      this.pos += take;
      filled += take;
    }
    return out;
  }

  uint32(): number {
    if (this.pos + 4 > this.buf.length) this.refill();
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32)) throw new RangeError(`int(n) needs 1 <= n <= 2^32, got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const v = this.uint32();
      if (v < limit) return v % n;
    }
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * this.uniform();
    this.spareNormal = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /**
   * Fills `out` with N(0, std^2) draws in bulk: one AES-CTR call for the whole array (a 32-bit
   * word a draw), then the ziggurat (core/ziggurat.ts), exact tails included. The DP-SGD noise
   * path, run once per step over every weight.
   */
  fillNormal(out: Float32Array, std = 1): Float32Array {
    const bytes = this.bytes(out.length * 4);
    // A fresh large Buffer starts at offset 0; copy only if it does not.
    const words = bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, out.length) : new Int32Array(Uint8Array.from(bytes).buffer);
    fillZiggurat(out, std, words, {
      word: () => this.uint32() | 0,
      // In (0, 1]: the tail takes its log.
      uniform: () => 1 - this.uniform(),
    });
    return out;
  }

  /** Fisher-Yates, in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  permutation(n: number): Int32Array {
    return this.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  }

  private refill(): void {
    const rest = this.buf.subarray(this.pos);
    this.buf = Buffer.concat([rest, this.stream.update(ZEROS)]);
    this.pos = 0;
  }
}
