import type { KeyObject } from 'node:crypto';
import type { Rng } from '../../core/rng.js';
import { open, seal } from './authenticated-encryption.js';
import { ELEMENT_BYTES, fromBytes, SECRET_BYTES, toBytes } from './field.js';
import { agree, generateKeyPair, importPublicKey, PUBLIC_KEY_BYTES, type KeyPair } from './key-agreement.js';
import { BODY_BYTES, decodeIds, decodeList, encodeList, encodeVector, type Entry } from './messages.js';
import { applyMask } from './prg.js';
import { share, type Share } from './shamir.js';

/**
 * Client u of Bonawitz et al. 2017 (Fig. 4), one method per round, each taking the server's
 * previous message and returning the upload. Its neighbours are whoever the server lists in
 * round 0 (everyone for the complete graph, k clients under SecAgg+).
 */
export class SecAggClient {
  private cKeys!: KeyPair;
  private sKeys!: KeyPair;
  /** b_u, the seed of the self mask. */
  private selfMaskSeed!: Buffer;
  /** u's own share of b_u: revealed in round 4 if u is still there. */
  private ownSelfMaskShare!: Share;
  private readonly maskPublicKeys = new Map<number, KeyObject>();
  /** c_{u,v}: the key u's share messages to and from v are sealed with. */
  private readonly encryptionKeys = new Map<number, Buffer>();
  /** Sealed shares from each neighbour that got through round 1 (U2). */
  private readonly received = new Map<number, Uint8Array>();

  constructor(
    readonly id: number,
    private readonly threshold: number,
    /** The private input x_u in Z_2^32; called in round 2, so its cost (e.g. quantization) is the client's. */
    private readonly input: () => Uint32Array,
    private readonly rng: Rng,
  ) {}

  /** Round 0 (AdvertiseKeys): two fresh key pairs, (c) to seal shares and (s) to agree masks. */
  advertiseKeys(): Uint8Array {
    this.cKeys = generateKeyPair(this.rng);
    this.sKeys = generateKeyPair(this.rng);
    return Buffer.concat([this.cKeys.publicKey, this.sKeys.publicKey]);
  }

  /**
   * Round 1 (ShareKeys): t-out-of-(m+1) Shamir shares of b_u and of s_u^SK for u itself and its m
   * listed neighbours, each neighbour's pair sealed under c_{u,v} so only v can open it.
   */
  shareKeys(directory: Uint8Array): Uint8Array {
    const neighbours = decodeList(directory, BODY_BYTES.keys);
    for (const { id, body } of neighbours) {
      this.encryptionKeys.set(id, agree(this.cKeys.privateKey, importPublicKey(body.subarray(0, PUBLIC_KEY_BYTES)), 'share-encryption', this.id, id));
      this.maskPublicKeys.set(id, importPublicKey(body.subarray(PUBLIC_KEY_BYTES)));
    }
    this.selfMaskSeed = this.rng.bytes(SECRET_BYTES);
    const xs = [this.id, ...neighbours.map((v) => v.id)].map((id) => id + 1);
    const bShares = share(fromBytes(this.selfMaskSeed), this.threshold, xs, this.rng);
    const sShares = share(fromBytes(this.sKeys.secret), this.threshold, xs, this.rng);
    this.ownSelfMaskShare = bShares[0];
    const sealed: Entry[] = neighbours.map(({ id }, i) => {
      const plaintext = Buffer.concat([toBytes(sShares[i + 1].y, ELEMENT_BYTES), toBytes(bShares[i + 1].y, ELEMENT_BYTES)]);
      return { id, body: seal(this.encryptionKeys.get(id)!, plaintext, this.id, id, this.rng) };
    });
    return encodeList(sealed, BODY_BYTES.sealedShares);
  }

  /**
   * Round 2 (MaskedInputCollection): y_u = x_u + PRG(b_u) + sum_{v>u} PRG(s_{u,v}) -
   * sum_{v<u} PRG(s_{u,v}) mod 2^32 over the neighbours v whose shares arrived (the server's U2):
   * a neighbour that vanished in round 1 left no shares to recover its mask with, so it gets none.
   */
  maskedInput(forwarded: Uint8Array): Uint8Array {
    for (const { id, body } of decodeList(forwarded, BODY_BYTES.sealedShares)) this.received.set(id, Uint8Array.from(body));
    const y = this.input().slice();
    applyMask(y, this.selfMaskSeed, 1);
    for (const v of this.received.keys()) {
      const seed = agree(this.sKeys.privateKey, this.maskPublicKeys.get(v)!, 'mask', this.id, v);
      applyMask(y, seed, v > this.id ? 1 : -1);
    }
    return encodeVector(y);
  }

  /**
   * Round 4 (Unmasking): for each neighbour v that shared, the share of b_v if the server lists
   * v among those whose y_v arrived (U3), else the share of s_v^SK; never both for one v, which
   * is what keeps y_v masked. u's own b_u share comes first.
   */
  unmask(survivorList: Uint8Array): Uint8Array {
    const survivors = new Set(decodeIds(survivorList));
    const out: Entry[] = [{ id: this.id, body: toBytes(this.ownSelfMaskShare.y, ELEMENT_BYTES) }];
    for (const [v, sealed] of this.received) {
      const plaintext = open(this.encryptionKeys.get(v)!, sealed, v, this.id);
      const [sShare, bShare] = [plaintext.subarray(0, ELEMENT_BYTES), plaintext.subarray(ELEMENT_BYTES)];
      out.push({ id: v, body: survivors.has(v) ? bShare : sShare });
    }
    return encodeList(out, BODY_BYTES.share);
  }
}
