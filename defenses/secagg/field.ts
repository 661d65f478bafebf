import type { Rng } from '../../core/rng.js';

/**
 * GF(p) for Shamir sharing, p = 2^256 + 297, the smallest prime above 2^256: every 32-byte
 * secret (a PRG seed or an X25519 private key) is one field element, so a share is one element
 * and no secret has to be split or rejected. Arithmetic is BigInt; the hot loops (masks) never
 * touch it, only the per-client seeds do.
 */
export const P = (1n << 256n) + 297n;

/** A field element on the wire: 33 bytes big-endian (p needs 257 bits). */
export const ELEMENT_BYTES = 33;

/** Secrets are 32 bytes: an AES-256 PRG seed or a raw X25519 private key. */
export const SECRET_BYTES = 32;

export const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

/** a^-1 mod p by the extended Euclidean algorithm (a must be non-zero mod p). */
export function inverse(a: bigint): bigint {
  let [r0, r1] = [mod(a), P];
  let [s0, s1] = [1n, 0n];
  if (r0 === 0n) throw new RangeError('zero has no inverse');
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

export function fromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`);
}

/** `a` as `length` bytes big-endian; a RangeError if it does not fit. */
export function toBytes(a: bigint, length: number): Buffer {
  const hex = a.toString(16).padStart(length * 2, '0');
  if (a < 0n || hex.length > length * 2) throw new RangeError(`${a} does not fit in ${length} bytes`);
  return Buffer.from(hex, 'hex');
}

/** Uniform in [0, p) by rejection from 257 random bits (accepts with probability ~1/2). */
export function randomElement(rng: Rng): bigint {
  for (;;) {
    const bytes = rng.bytes(ELEMENT_BYTES);
    bytes[0] &= 1;
    const a = fromBytes(bytes);
    if (a < P) return a;
  }
}
