import type { Rng } from '../../../core/rng.js';
import { completeGraph, hararyGraph } from '../../../defenses/secagg/graph.js';
import { runSecureAggregation, type ProtocolResult } from '../../../defenses/secagg/protocol.js';
import type { DropoutSchedule } from '../../../defenses/secagg/dropout.js';

/** `count` uniform words. */
export function randomWords(rng: Rng, count: number): Uint32Array {
  const out = new Uint32Array(count);
  new Uint8Array(out.buffer).set(rng.bytes(out.byteLength));
  return out;
}

/** sum of the vectors mod 2^32, computed independently of the code under test (BigInt). */
export function sumMod(vectors: readonly Uint32Array[], length: number): Uint32Array {
  return Uint32Array.from({ length }, (_, i) => Number(vectors.reduce((s, v) => s + BigInt(v[i]), 0n) % 2n ** 32n));
}

/** The protocol on integer inputs over the complete graph, or a Harary graph of degree k. */
export function runOn(
  inputs: readonly Uint32Array[],
  threshold: number,
  rng: Rng,
  options: { k?: number; dropout?: DropoutSchedule } = {},
): Promise<ProtocolResult> {
  const n = inputs.length;
  const neighbours = options.k === undefined ? completeGraph(n) : hararyGraph(n, options.k, rng.fork('graph'));
  return runSecureAggregation({
    inputs: inputs.map((x) => () => x),
    params: { threshold, neighbours, length: inputs[0].length },
    rng: rng.fork('protocol'),
    dropout: options.dropout,
  });
}
