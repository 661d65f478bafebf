/**
 * Wire formats of the protocol messages: every byte the accounting counts is defined here.
 * Integers are uint32 little-endian. Who sent a message is the channel's business (an
 * authenticated connection to the server), so no payload repeats its sender.
 *
 * | round                 | direction        | payload                                          | bytes       |
 * | --------------------- | ---------------- | ------------------------------------------------ | ----------- |
 * | AdvertiseKeys         | client -> server | c_u^PK, s_u^PK                                   | 64          |
 * | AdvertiseKeys         | server -> client | list of (v, c_v^PK, s_v^PK), v its neighbours    | 4 + 68 m    |
 * | ShareKeys             | client -> server | list of (v, sealed shares for v)                 | 4 + 98 m    |
 * | ShareKeys             | server -> client | list of (u, sealed shares from u)                | 4 + 98 m    |
 * | MaskedInputCollection | client -> server | y_u, d words                                     | 4 d         |
 * | MaskedInputCollection | server -> client | list of (v), its neighbours that sent y_v        | 4 + 4 m     |
 * | Unmasking             | client -> server | list of (v, share of b_v or of s_v^SK)           | 4 + 37 m    |
 *
 * Sealed shares: a 12-byte nonce, the share of s_u^SK and the share of b_u (33 bytes each), a
 * 16-byte GCM tag: 94 bytes. A list is a uint32 count followed by fixed-size entries.
 */
import { sealedBytes } from './authenticated-encryption.js';
import { ELEMENT_BYTES } from './field.js';
import { PUBLIC_KEY_BYTES } from './key-agreement.js';

const ID_BYTES = 4;

/** Entry body sizes of the lists above. */
export const BODY_BYTES = {
  keys: 2 * PUBLIC_KEY_BYTES,
  sealedShares: sealedBytes(2 * ELEMENT_BYTES),
  id: 0,
  share: ELEMENT_BYTES,
} as const;

export interface Entry {
  id: number;
  body: Uint8Array;
}

export const listBytes = (count: number, bodyBytes: number): number => ID_BYTES + count * (ID_BYTES + bodyBytes);

export function encodeList(entries: readonly Entry[], bodyBytes: number): Uint8Array {
  const out = Buffer.alloc(listBytes(entries.length, bodyBytes));
  out.writeUInt32LE(entries.length, 0);
  let at = ID_BYTES;
  for (const { id, body } of entries) {
    if (body.length !== bodyBytes) throw new RangeError(`entry for ${id} has ${body.length} bytes, expected ${bodyBytes}`);
    out.writeUInt32LE(id, at);
    out.set(body, at + ID_BYTES);
    at += ID_BYTES + bodyBytes;
  }
  return out;
}

export function decodeList(payload: Uint8Array, bodyBytes: number): Entry[] {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const count = bytes.length >= ID_BYTES ? bytes.readUInt32LE(0) : -1;
  if (count < 0 || bytes.length !== listBytes(count, bodyBytes)) throw new Error(`malformed list message of ${bytes.length} bytes`);
  return Array.from({ length: count }, (_, i) => {
    const at = ID_BYTES + i * (ID_BYTES + bodyBytes);
    return { id: bytes.readUInt32LE(at), body: bytes.subarray(at + ID_BYTES, at + ID_BYTES + bodyBytes) };
  });
}

export const encodeIds = (ids: Iterable<number>): Uint8Array => encodeList([...ids].map((id) => ({ id, body: new Uint8Array(0) })), 0);

export const decodeIds = (payload: Uint8Array): number[] => decodeList(payload, 0).map((e) => e.id);

/** A masked vector as bytes (a view, no copy). */
export const encodeVector = (v: Uint32Array): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** A masked vector of `length` words from its bytes (copied, so it is aligned and owned). */
export function decodeVector(payload: Uint8Array, length: number): Uint32Array {
  if (payload.length !== length * 4) throw new Error(`masked vector of ${payload.length} bytes, expected ${length * 4}`);
  const out = new Uint32Array(length);
  new Uint8Array(out.buffer).set(payload);
  return out;
}
