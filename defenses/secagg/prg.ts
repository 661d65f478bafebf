/**
 * The PRG of Bonawitz et al. 2017 (Sec. 3.4): a 32-byte seed keys AES-256-CTR (zero IV), and the
 * keystream read as little-endian uint32 words is the mask, one word per coordinate in Z_2^32.
 * Masks are expanded at AES speed by OpenSSL; no per-element JS random numbers.
 */
import { createCipheriv } from 'node:crypto';
import { endianness } from 'node:os';

// Typed arrays use the platform's byte order; every party must read the keystream the same way.
if (endianness() !== 'LE') throw new Error('secagg masks read the AES keystream as little-endian uint32 words');

/** Words per keystream chunk: masks are applied chunk by chunk so they stay in cache. */
const CHUNK_WORDS = 1 << 14;
const ZEROS = Buffer.alloc(CHUNK_WORDS * 4);

/** `bytes` as uint32 words, copying only when the buffer is not 4-byte aligned (small pooled Buffers). */
function words(bytes: Buffer): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const out = new Uint32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** PRG(seed) in consecutive chunks: [offset of the chunk's first word, its words]. */
function* maskChunks(seed: Uint8Array, length: number): Generator<[number, Uint32Array]> {
  const stream = createCipheriv('aes-256-ctr', seed, Buffer.alloc(16));
  for (let start = 0; start < length; start += CHUNK_WORDS) {
    yield [start, words(stream.update(ZEROS.subarray(0, Math.min(CHUNK_WORDS, length - start) * 4)))];
  }
}

/** PRG(seed) as `length` words. */
export function expandMask(seed: Uint8Array, length: number): Uint32Array {
  const out = new Uint32Array(length);
  for (const [start, mask] of maskChunks(seed, length)) out.set(mask, start);
  return out;
}

/**
 * acc += sign * PRG(seed) mod 2^32, in place, without materialising the whole mask.
 * `(a + b) >>> 0` and `(a - b) >>> 0` are exactly addition and subtraction mod 2^32 on uint32
 * values (the intermediate is below 2^33 in magnitude, exact in a double).
 */
export function applyMask(acc: Uint32Array, seed: Uint8Array, sign: 1 | -1): void {
  for (const [start, mask] of maskChunks(seed, acc.length)) {
    if (sign === 1) for (let i = 0; i < mask.length; i++) acc[start + i] = (acc[start + i] + mask[i]) >>> 0;
    else for (let i = 0; i < mask.length; i++) acc[start + i] = (acc[start + i] - mask[i]) >>> 0;
  }
}

/** acc += v mod 2^32, in place. */
export function addInto(acc: Uint32Array, v: Uint32Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] + v[i]) >>> 0;
}
