/**
 * Options of secure aggregation, validated with zod and then against the number of clients; a
 * bad combination is an InputError that names the field and the fix.
 *
 * Parameter choice:
 * - Share holders of a client: itself and its neighbours, h = n under the complete graph and
 *   h = k + 1 under SecAgg+.
 * - threshold t defaults to floor(h / 2) + 1, a majority of the holders: the server together
 *   with fewer than t clients learns nothing beyond the sum (Bonawitz et al. 2017, Sec. 6,
 *   honest-but-curious security), and no two disjoint groups of holders can both reach t.
 *   Up to h - t holders of any one client may drop. t >= 2 always: with t = 1 a share is the
 *   secret itself.
 * - neighbours k (SecAgg+) defaults to the even number at or above 4 log2 n, at most n - 1.
 *   Bell et al. 2020 show k = O(log n) suffices; 4 log2 n gives k = 28 at n = 100, the degree
 *   FCP's Harary graph parameter finder picks there for 5% corrupt and 33% dropped clients at
 *   40-bit security. That finder pairs it with t = 6; the majority default t = 15 resists more
 *   collusion and tolerates less dropout. For a given threat model, take k and t from the finder.
 * - bits defaults to maxBits(n): the finest quantization whose sum over all n clients cannot wrap
 *   mod 2^32 (quantize.ts).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { validateOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { dropoutAt, noDropout, type DropoutSchedule } from './dropout.js';
import { completeGraph, hararyGraph, type Neighbourhoods } from './graph.js';
import { maxBits, type QuantizerSettings } from './quantize.js';
import { ROUNDS } from './rounds.js';

const clientList = z.array(z.number().int().nonnegative());

/** Clients listed under a round drop at its start; besides, each client drops in each round with `probability`. */
export const dropoutSchema = z
  .object({
    probability: z.number().min(0).max(1).default(0),
    advertiseKeys: clientList.default([]),
    shareKeys: clientList.default([]),
    maskedInputCollection: clientList.default([]),
    unmasking: clientList.default([]),
  })
  .strict();

export const secAggOptions = z
  .object({
    /** Shares needed to reconstruct a client's secrets, out of its h share holders. */
    threshold: z.number().int().optional(),
    graph: z.enum(['complete', 'secagg+']).default('complete'),
    /** SecAgg+ only: neighbours k of each client (even). */
    neighbours: z.number().int().optional(),
    /** Coordinates are clipped to [-clip, clip]; defaults to l2Clip when that is set, else 1. */
    clip: z.number().positive().optional(),
    /** The whole update is scaled down to this L2 norm first, when longer. */
    l2Clip: z.number().positive().optional(),
    bits: z.number().int().min(1).max(32).optional(),
    rounding: z.enum(['stochastic', 'deterministic']).default('stochastic'),
    dropout: dropoutSchema.optional(),
  })
  .strict();

export type SecAggOptions = z.input<typeof secAggOptions>;

/** The options resolved for n clients. */
export interface SecAggPlan {
  n: number;
  graph: 'complete' | 'secagg+';
  /** Neighbours per client (n - 1 for the complete graph). */
  degree: number;
  threshold: number;
  quantizer: QuantizerSettings;
}

/** The default SecAgg+ degree: the even number at or above 4 log2 n, at most n - 1. */
export function defaultNeighbours(n: number): number {
  const wanted = 2 * Math.ceil(2 * Math.log2(n));
  return Math.min(wanted, n - 1 - ((n - 1) % 2));
}

export function parseOptions(options: SecAggOptions): z.infer<typeof secAggOptions> {
  return validateOptions(secAggOptions, options);
}

export function planSecAgg(options: z.infer<typeof secAggOptions>, n: number): SecAggPlan {
  if (!Number.isInteger(n) || n < 2) throw new InputError(`secure aggregation needs at least 2 clients, got ${n}`, { field: 'updates' });
  let degree = n - 1;
  if (options.graph === 'complete' && options.neighbours !== undefined) {
    throw new InputError("neighbours applies to graph 'secagg+' only; drop it or set graph: 'secagg+'", { field: 'neighbours' });
  }
  if (options.graph === 'secagg+') {
    if (n < 3) throw new InputError(`graph 'secagg+' needs at least 3 clients, got ${n}; use graph 'complete'`, { field: 'graph' });
    degree = options.neighbours ?? defaultNeighbours(n);
    if (degree < 2 || degree % 2 !== 0 || degree > n - 1) {
      throw new InputError(`neighbours must be an even number in [2, ${n - 1}] for ${n} clients (a Harary graph joins k/2 on each side), got ${degree}`, {
        field: 'neighbours',
      });
    }
  }
  const holders = degree + 1;
  const threshold = options.threshold ?? Math.floor(holders / 2) + 1;
  if (threshold < 2) {
    throw new InputError(`threshold must be at least 2 (with 1, every share is the secret itself), got ${threshold}`, { field: 'threshold' });
  }
  if (threshold > holders) {
    const fix = options.graph === 'secagg+' ? 'lower threshold or raise neighbours' : 'lower threshold';
    throw new InputError(`threshold ${threshold} exceeds the ${holders} share holders of each client (itself and ${degree} neighbours); ${fix}`, {
      field: 'threshold',
    });
  }
  const bits = options.bits ?? maxBits(n);
  if (bits > maxBits(n)) {
    throw new InputError(`${n} clients x (2^${bits} - 1) levels can exceed 2^32 and wrap the sum; use bits <= ${maxBits(n)}`, { field: 'bits' });
  }
  const clip = options.clip ?? options.l2Clip ?? 1;
  return { n, graph: options.graph, degree, threshold, quantizer: { clip, l2Clip: options.l2Clip, bits, rounding: options.rounding } };
}

export function neighbourhoods(plan: SecAggPlan, rng: Rng): Neighbourhoods {
  return plan.graph === 'complete' ? completeGraph(plan.n) : hararyGraph(plan.n, plan.degree, rng);
}

export function dropoutSchedule(dropout: z.infer<typeof dropoutSchema> | undefined, n: number, rng: Rng): DropoutSchedule {
  if (dropout === undefined) return noDropout;
  for (const round of ROUNDS) {
    const bad = dropout[round].findIndex((u) => u >= n);
    if (bad >= 0) throw new InputError(`client ${dropout[round][bad]} does not exist; ids run from 0 to ${n - 1}`, { field: `dropout.${round}[${bad}]` });
  }
  const { probability, ...listed } = dropout;
  return dropoutAt(listed, probability, rng);
}
