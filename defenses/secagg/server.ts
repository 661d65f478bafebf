import type { KeyObject } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import { fromBytes, SECRET_BYTES, toBytes } from './field.js';
import type { Neighbourhoods } from './graph.js';
import { agree, importPublicKey, keyPairFromSecret, PUBLIC_KEY_BYTES } from './key-agreement.js';
import { BODY_BYTES, decodeList, decodeVector, encodeIds, encodeList, type Entry } from './messages.js';
import { addInto, applyMask } from './prg.js';
import type { Round } from './rounds.js';
import { lagrangeAtZero, reconstruct, type Share } from './shamir.js';
import type { Delivery } from './transport.js';

/** What the server holds at the end: everything an honest-but-curious server could analyse. */
export interface ServerView {
  /** y_u of every client whose masked input arrived (U3). */
  masked: Map<number, Uint32Array>;
  /** sum_{u in U3} x_u mod 2^32 after unmasking. */
  sum: Uint32Array;
  /** b_u reconstructed for each u in U3 (to remove self masks). */
  selfMaskSeeds: Map<number, Buffer>;
  /** s_v^SK reconstructed for each v that shared but dropped before sending y_v (U2 \ U3). */
  maskKeys: Map<number, Buffer>;
}

/**
 * The server of Bonawitz et al. 2017 (Fig. 4): it routes messages, tracks who is still there
 * (U1 ⊇ U2 ⊇ U3 ⊇ U5), and in the end reconstructs the secrets that remove the masks.
 */
export class SecAggServer {
  /** Raw public keys (c^PK, s^PK) of U1. */
  private readonly keys = new Map<number, Uint8Array>();
  private readonly maskPublicKeys = new Map<number, KeyObject>();
  /** U2: clients whose shares were forwarded. */
  private sharers = new Set<number>();
  readonly masked = new Map<number, Uint32Array>();
  readonly selfMaskSeeds = new Map<number, Buffer>();
  readonly maskKeys = new Map<number, Buffer>();
  private readonly coefficients = new Map<string, bigint[]>();

  constructor(
    private readonly neighbours: Neighbourhoods,
    private readonly threshold: number,
    private readonly length: number,
  ) {}

  /** Round 0: U1 is whoever advertised keys; each member gets its U1 neighbours' keys. */
  collectKeys(deliveries: Delivery[]): Map<number, Uint8Array> {
    for (const d of deliveries) this.keys.set(d.from as number, d.payload);
    const advertised = new Set(this.keys.keys());
    this.requireQuorum('advertiseKeys', advertised, advertised);
    return this.replies(advertised, (u) =>
      encodeList(this.neighboursIn(u, advertised).map((v) => ({ id: v, body: this.keys.get(v)! })), BODY_BYTES.keys),
    );
  }

  /** Round 1: U2 is whoever sent shares; each member gets the shares its U2 neighbours sealed to it. */
  forwardShares(deliveries: Delivery[]): Map<number, Uint8Array> {
    this.sharers = new Set(deliveries.map((d) => d.from as number));
    this.requireQuorum('shareKeys', this.sharers, this.sharers);
    const inbox = new Map<number, Entry[]>([...this.sharers].map((v) => [v, []]));
    for (const d of deliveries) {
      for (const { id: to, body } of decodeList(d.payload, BODY_BYTES.sealedShares)) inbox.get(to)?.push({ id: d.from as number, body });
    }
    return this.replies(this.sharers, (v) => encodeList(inbox.get(v)!, BODY_BYTES.sealedShares));
  }

  /** Round 2: U3 is whoever sent y_u; each member learns which of its neighbours are in U3. */
  collectMaskedInputs(deliveries: Delivery[]): Map<number, Uint8Array> {
    for (const d of deliveries) this.masked.set(d.from as number, decodeVector(d.payload, this.length));
    const maskedSenders = new Set(this.masked.keys());
    this.requireQuorum('maskedInputCollection', this.sharers, maskedSenders);
    return this.replies(maskedSenders, (u) => encodeIds(this.neighboursIn(u, maskedSenders)));
  }

  /**
   * Round 4: from the shares of U5, reconstruct b_u for u in U3 and s_v^SK for v in U2 \ U3, then
   * z = sum_{u in U3} y_u - PRG(b_u) minus the masks the survivors still hold with dropped v.
   */
  unmask(deliveries: Delivery[]): Uint32Array {
    const responders = new Set(deliveries.map((d) => d.from as number));
    this.requireQuorum('unmasking', this.sharers, responders);
    const shares = new Map<number, Share[]>([...this.sharers].map((v) => [v, []]));
    for (const d of deliveries) {
      const x = (d.from as number) + 1;
      for (const { id, body } of decodeList(d.payload, BODY_BYTES.share)) shares.get(id)?.push({ x, y: fromBytes(body) });
    }
    const sum = new Uint32Array(this.length);
    for (const y of this.masked.values()) addInto(sum, y);
    for (const u of this.masked.keys()) {
      const seed = this.recover(shares.get(u)!);
      this.selfMaskSeeds.set(u, seed);
      applyMask(sum, seed, -1);
    }
    for (const v of this.sharers) {
      if (this.masked.has(v)) continue;
      const secret = this.recover(shares.get(v)!);
      const pair = keyPairFromSecret(secret);
      if (!pair.publicKey.equals(this.keys.get(v)!.subarray(PUBLIC_KEY_BYTES))) throw new Error(`reconstructed mask key of client ${v} does not match its public key`);
      this.maskKeys.set(v, secret);
      for (const u of this.neighbours[v]) {
        if (!this.masked.has(u)) continue;
        // u added +PRG(s_{u,v}) if v > u and -PRG(s_{u,v}) if v < u; take back the same.
        applyMask(sum, agree(pair.privateKey, this.maskPublicKey(u), 'mask', u, v), v > u ? -1 : 1);
      }
    }
    return sum;
  }

  view(sum: Uint32Array): ServerView {
    return { masked: this.masked, sum, selfMaskSeeds: this.selfMaskSeeds, maskKeys: this.maskKeys };
  }

  private neighboursIn(u: number, members: Set<number>): number[] {
    return this.neighbours[u].filter((v) => members.has(v));
  }

  private replies(to: Set<number>, build: (u: number) => Uint8Array): Map<number, Uint8Array> {
    return new Map([...to].map((u) => [u, build(u)]));
  }

  private maskPublicKey(u: number): KeyObject {
    let key = this.maskPublicKeys.get(u);
    if (!key) {
      key = importPublicKey(this.keys.get(u)!.subarray(PUBLIC_KEY_BYTES));
      this.maskPublicKeys.set(u, key);
    }
    return key;
  }

  /** The secret from the t shares of the lowest holders; holder sets repeat, so their Lagrange coefficients are cached. */
  private recover(all: Share[]): Buffer {
    const chosen = [...all].sort((a, b) => a.x - b.x).slice(0, this.threshold);
    const key = chosen.map((s) => s.x).join(',');
    let coefficients = this.coefficients.get(key);
    if (!coefficients) {
      coefficients = lagrangeAtZero(chosen.map((s) => s.x));
      this.coefficients.set(key, coefficients);
    }
    return toBytes(reconstruct(chosen, coefficients), SECRET_BYTES);
  }

  /**
   * The abort rule of Fig. 4 (fewer than t clients answered) on the neighbourhood graph: every
   * client in `needed` must also still have t share holders (itself and its neighbours) in
   * `present`, or its secret could not be reconstructed and its masks could not be removed.
   */
  private requireQuorum(round: Round, needed: Set<number>, present: Set<number>): void {
    const fix = 'allow fewer dropouts or lower the threshold';
    if (present.size < this.threshold) {
      throw new InputError(`secure aggregation aborted in ${round}: ${present.size} clients remain, fewer than the threshold ${this.threshold}; ${fix}`, {
        field: 'dropout',
      });
    }
    for (const u of needed) {
      const holders = (present.has(u) ? 1 : 0) + this.neighboursIn(u, present).length;
      if (holders < this.threshold) {
        throw new InputError(
          `secure aggregation aborted in ${round}: client ${u} has ${holders} of its share holders left ` +
            `(${present.size} clients remain), fewer than the threshold ${this.threshold}; ${fix}`,
          { field: 'dropout' },
        );
      }
    }
  }
}
