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
  private readonly cipher;
  private buf = Buffer.alloc(0);
  private pos = 0;
  private spareNormal: number | null = null;

  private constructor(key: Buffer) {
    this.key = key;
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
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
    this.stream(n, (piece) => {
      out.set(piece, filled);
      filled += piece.length;
    });
    return out;
  }

  /**
   * The next `n` bytes of the keystream, handed to `sink` in order in the pieces the cipher
   * makes: bulk draws are not assembled into one buffer first.
   */
  stream(n: number, sink: (piece: Uint8Array) => void): void {
    const take = Math.min(n, this.buf.length - this.pos);
    if (take > 0) sink(this.buf.subarray(this.pos, this.pos + take));
    this.pos += take;
    for (let filled = take; filled < n; filled += BLOCK) sink(this.cipher.update(ZEROS.subarray(0, Math.min(BLOCK, n - filled))));
  }

  uint32(): number {
    if (this.pos + 4 > this.buf.length) this.refill();
    // Byte reads beat Buffer.readUInt32LE's argument checks several times over.
    const b = this.buf;
    const p = this.pos;
    const v = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
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
   * Fills `out` with N(0, std^2) draws in bulk: a 32-bit word of keystream per draw through the
   * ziggurat (core/ziggurat.ts), exact tails included. The DP-SGD noise path, run once per step
   * over every weight.
   */
  fillNormal(out: Float32Array, std = 1): Float32Array {
    fillZiggurat(out, std, (n, sink) => this.stream(n, sink));
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
    this.buf = Buffer.concat([rest, this.cipher.update(ZEROS)]);
    this.pos = 0;
  }
}
