/**
 * Wire format between the federated server and its clients, one message per frame; every byte
 * the cost accounting counts is defined here. Integers are uint32 little-endian, vectors float32.
 *
 * | message | direction        | payload                                                    | bytes          |
 * | ------- | ---------------- | ---------------------------------------------------------- | -------------- |
 * | hello   | client -> server | kind, client id                                            | 5              |
 * | setup   | server -> client | kind, JSON length, JSON (model, plan, backend), rows, labels | once per run   |
 * | ready   | client -> server | kind                                                       | 1              |
 * | round   | server -> client | kind, round, seed (16), global weights                     | 21 + 4 P       |
 * | update  | client -> server | kind, round, examples, compute ms (float64), update        | 17 + 4 P       |
 * | bye     | server -> client | kind                                                       | 1              |
 *
 * A frame is a uint32 payload length and the payload (frames.ts), so a round costs each client
 * 25 + 4P bytes down and 21 + 4P up on the wire: plain FedAvg's 4 bytes per parameter each way.
 */
import type { ModelInput } from '../models/types.js';
import type { ModelSpec } from '../models/index.js';
import { SEED_BYTES } from './client.js';
import type { LocalPlan } from './config.js';

export const KIND = { hello: 0, setup: 1, ready: 2, round: 3, update: 4, bye: 5 } as const;
export type Kind = keyof typeof KIND;

export const FRAME_HEADER_BYTES = 4;
const ROUND_HEADER = 1 + 4 + SEED_BYTES;
const UPDATE_HEADER = 1 + 4 + 4 + 8;

/** Bytes on the wire, frame header included, of one round's request and reply for a model of `params` parameters. */
export const roundFrameBytes = (params: number): number => FRAME_HEADER_BYTES + ROUND_HEADER + 4 * params;
export const updateFrameBytes = (params: number): number => FRAME_HEADER_BYTES + UPDATE_HEADER + 4 * params;

export function kindOf(payload: Buffer): Kind {
  const kind = (Object.keys(KIND) as Kind[]).find((k) => KIND[k] === payload[0]);
  if (!kind) throw new Error(`unknown message kind ${payload[0]}`);
  return kind;
}

/** A float32 vector copied out of a payload (payload offsets need not be 4-aligned). */
function vectorAt(payload: Buffer, offset: number): Float32Array {
  const out = new Float32Array((payload.length - offset) / 4);
  new Uint8Array(out.buffer).set(payload.subarray(offset));
  return out;
}

const bytesOf = (v: Float32Array | Int32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export const encodeSignal = (kind: 'ready' | 'bye'): Buffer => Buffer.of(KIND[kind]);

export function encodeHello(client: number): Buffer {
  const out = Buffer.alloc(5);
  out[0] = KIND.hello;
  out.writeUInt32LE(client, 1);
  return out;
}

export const decodeHello = (payload: Buffer): number => payload.readUInt32LE(1);

/** Everything a client process needs to train: its model, its plan, its rows. */
export interface ClientSetupMessage {
  model: ModelSpec;
  input: ModelInput;
  plan: LocalPlan;
  backend: string;
  rows: number;
  features: Float32Array;
  labels: Int32Array;
}

export function encodeSetup(m: ClientSetupMessage): Buffer {
  const json = Buffer.from(JSON.stringify({ model: m.model, input: m.input, plan: m.plan, backend: m.backend, rows: m.rows }));
  const head = Buffer.alloc(5);
  head[0] = KIND.setup;
  head.writeUInt32LE(json.length, 1);
  return Buffer.concat([head, json, bytesOf(m.features), bytesOf(m.labels)]);
}

export function decodeSetup(payload: Buffer): ClientSetupMessage {
  const jsonLength = payload.readUInt32LE(1);
  const meta = JSON.parse(payload.subarray(5, 5 + jsonLength).toString()) as Omit<ClientSetupMessage, 'features' | 'labels'>;
  const featuresAt = 5 + jsonLength;
  const labelsAt = featuresAt + meta.rows * meta.input.d * 4;
  const features = vectorAt(payload.subarray(0, labelsAt), featuresAt);
  const labels = new Int32Array(meta.rows);
  new Uint8Array(labels.buffer).set(payload.subarray(labelsAt));
  return { ...meta, features, labels };
}

export function encodeRound(round: number, seed: Uint8Array, global: Float32Array): Buffer {
  const head = Buffer.alloc(ROUND_HEADER);
  head[0] = KIND.round;
  head.writeUInt32LE(round, 1);
  head.set(seed, 5);
  return Buffer.concat([head, bytesOf(global)]);
}

export function decodeRound(payload: Buffer): { round: number; seed: Uint8Array; global: Float32Array } {
  return { round: payload.readUInt32LE(1), seed: Uint8Array.from(payload.subarray(5, ROUND_HEADER)), global: vectorAt(payload, ROUND_HEADER) };
}

export function encodeUpdate(round: number, examples: number, computeMs: number, update: Float32Array): Buffer {
  const head = Buffer.alloc(UPDATE_HEADER);
  head[0] = KIND.update;
  head.writeUInt32LE(round, 1);
  head.writeUInt32LE(examples, 5);
  head.writeDoubleLE(computeMs, 9);
  return Buffer.concat([head, bytesOf(update)]);
}

export function decodeUpdate(payload: Buffer): { round: number; examples: number; computeMs: number; update: Float32Array } {
  return { round: payload.readUInt32LE(1), examples: payload.readUInt32LE(5), computeMs: payload.readDoubleLE(9), update: vectorAt(payload, UPDATE_HEADER) };
}
