import type { z } from 'zod';
import { InputError } from '../../../core/errors.js';
import type { Configurable } from '../../../core/registry.js';

/** `steps` steps of DP-SGD with one noise multiplier and one Poisson sampling rate. */
export interface Composition {
  /** Noise standard deviation divided by the L2 clipping norm (the sensitivity). */
  noiseMultiplier: number;
  /** Probability q that each example joins a step's batch (Poisson sampling). */
  sampleRate: number;
  steps: number;
}

/**
 * What every epsilon is reported with, so a reader can tell one guarantee from another
 * (the mismatches users meet between libraries come from exactly these choices).
 */
export const ANALYSIS_ASSUMPTIONS = Object.freeze({
  sampling: 'Poisson subsampling at rate q each step (shuffled fixed-size batches are not analysed by this bound)',
  adjacency: 'add or remove one example',
  sensitivity: 'one example per clipped gradient (no microbatching)',
});

/** How the RDP accountant reached its epsilon. */
export interface RdpDetails {
  kind: 'rdp';
  /** The order alpha whose conversion gave the smallest epsilon. */
  order: number;
  /** The first and last orders of the grid searched. */
  orderRange: [number, number];
}

/** How the PRV accountant reached its epsilon (Gopi, Lee, Wutschitz 2021). */
export interface PrvDetails {
  kind: 'prv';
  /** Epsilon of the discretised, composed PRV at delta itself. */
  estimate: number;
  /** Bounds on the true epsilon: epsilon at delta +- deltaError, widened by epsError. */
  lower: number;
  upper: number;
  epsError: number;
  deltaError: number;
  /** Grid points of the discretised domain (the FFT length). */
  points: number;
}

export interface EpsilonReport {
  accountant: string;
  /** The guarantee to report: the RDP bound, or the PRV upper bound. */
  epsilon: number;
  delta: number;
  /** The accountant's `method`, for the report. */
  method: string;
  /** ANALYSIS_ASSUMPTIONS for DP-SGD; a mechanism with another unit of privacy (DP-FedAvg's clients) states its own. */
  assumptions: Readonly<Record<keyof typeof ANALYSIS_ASSUMPTIONS, string>>;
  /** How the number was reached; absent when no step was taken (epsilon 0). */
  details?: RdpDetails | PrvDetails;
  warnings: string[];
}

/**
 * A privacy accountant in the Opacus sense: given the history of compositions, the epsilon
 * spent at a delta. Inputs reach it validated (see `validate.ts`); options are its own.
 */
export interface AccountantDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  /** The analysis and (epsilon, delta) conversion or bound it uses, named for the report. */
  method: string;
  /** Epsilon of a non-empty history. */
  epsilon(history: readonly Composition[], delta: number, options: z.infer<O>): EpsilonReport;
}

/**
 * Thrown by an accountant when the epsilon asked for is beyond what it can compute (the PRV
 * grid would not fit in memory or in double range). For a noise search it means "too little noise".
 */
export class EpsilonOutOfRangeError extends InputError {}
