/**
 * Authenticated encryption of the share messages that travel through the server (Bonawitz et al.
 * 2017, Sec. 3, authenticated encryption): AES-256-GCM with a random 96-bit nonce. The sender and
 * recipient ids are the associated data, so the server can neither read a share nor re-address it
 * to another client.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Rng } from '../../core/rng.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Bytes on the wire for a plaintext of `plaintextBytes`: nonce, ciphertext, tag. */
export const sealedBytes = (plaintextBytes: number): number => NONCE_BYTES + plaintextBytes + TAG_BYTES;

function route(from: number, to: number): Buffer {
  const aad = Buffer.alloc(8);
  aad.writeUInt32LE(from, 0);
  aad.writeUInt32LE(to, 4);
  return aad;
}

export function seal(key: Uint8Array, plaintext: Uint8Array, from: number, to: number, rng: Rng): Buffer {
  const nonce = rng.bytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(route(from, to));
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext, or an Error when the message was altered or was not sealed from `from` to `to`. */
export function open(key: Uint8Array, sealed: Uint8Array, from: number, to: number): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES)).setAAD(route(from, to));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}
