/**
 * The PRG of Bonawitz et al. 2017 (Sec. 3, pseudorandom generator): a 32-byte seed keys
 * AES-256-CTR (zero IV), and the keystream read as little-endian uint32 words is the mask, one
 * word per coordinate in Z_2^32. Masks are expanded at AES speed by OpenSSL; no per-element JS
 * random numbers.
 */
import { createCipheriv } from 'node:crypto';
import { endianness } from 'node:os';

// Typed arrays use the platform's byte order; every party must read the keystream the same way.
if (endianness() !== 'LE') throw new Error('secagg masks read the AES keystream as little-endian uint32 words');

/** Words per keystream chunk when a mask is added in place: the chunk stays in cache. */
const CHUNK_WORDS = 1 << 14;
/** Zeros to encrypt: AES-CTR over zeros is the keystream. Grown to the largest mask asked for. */
let zeros = Buffer.alloc(CHUNK_WORDS * 4);

function zeroBytes(count: number): Buffer {
  if (zeros.length < count) zeros = Buffer.alloc(count);
  return zeros.subarray(0, count);
}

const keystream = (seed: Uint8Array) => createCipheriv('aes-256-ctr', seed, Buffer.alloc(16));

/** `bytes` as uint32 words: a view, or a copy when the buffer is not 4-byte aligned (small pooled Buffers). */
function words(bytes: Buffer): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const out = new Uint32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** PRG(seed) as `length` words: one AES-CTR pass over zeros, viewed as uint32 without a copy. */
export function expandMask(seed: Uint8Array, length: number): Uint32Array {
  return words(keystream(seed).update(zeroBytes(length * 4)));
}

/**
 * acc += sign * PRG(seed) mod 2^32, in place, chunk by chunk without materialising the mask.
 * `(a + b) >>> 0` and `(a - b) >>> 0` are exactly addition and subtraction mod 2^32 on uint32
 * values (the intermediate is below 2^33 in magnitude, exact in a double).
 */
export function applyMask(acc: Uint32Array, seed: Uint8Array, sign: 1 | -1): void {
  const stream = keystream(seed);
  for (let start = 0; start < acc.length; start += CHUNK_WORDS) {
    const mask = words(stream.update(zeroBytes(Math.min(CHUNK_WORDS, acc.length - start) * 4)));
    if (sign === 1) for (let i = 0; i < mask.length; i++) acc[start + i] = (acc[start + i] + mask[i]) >>> 0;
    else for (let i = 0; i < mask.length; i++) acc[start + i] = (acc[start + i] - mask[i]) >>> 0;
  }
}

/** acc += v mod 2^32, in place. */
export function addInto(acc: Uint32Array, v: Uint32Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] + v[i]) >>> 0;
}
