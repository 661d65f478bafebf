import { z } from 'zod';
import { InputError } from '../../../core/errors.js';
import { alignedGrid, compose, discretise, epsilonBounds } from './analysis/discrete-prv.js';
import { DEFAULT_ORDERS, historyRdp, rdpToEpsilon } from './analysis/rdp.js';
import { SubsampledGaussianPrv } from './analysis/subsampled-gaussian-prv.js';
import { ANALYSIS_ASSUMPTIONS, EpsilonOutOfRangeError, type AccountantDefinition, type Composition } from './types.js';

/** 2^23 grid points: ~0.5 GB of working arrays, several seconds; beyond, use RDP. */
const MAX_POINTS = 2 ** 23;
/** Reading epsilon off the grid weighs atoms by e^{-t}; past |t| = 700 that overflows a double. */
const MAX_HALF_WIDTH = 700;

const options = z
  .object({
    /** Half-width of the epsilon error band the grid is sized for (Opacus's default). */
    epsError: z.number().positive().default(0.01),
    /** Error allowed in delta; delta / 1000 when absent (Opacus's default). */
    deltaError: z.number().positive().optional(),
  })
  .strict();

const rdpEpsilon = (history: readonly Composition[], delta: number) =>
  rdpToEpsilon(DEFAULT_ORDERS, historyRdp(history, DEFAULT_ORDERS), delta).epsilon;

/**
 * How far the grid must reach so the truncated mass stays within the delta error budget:
 * an RDP bound on the whole composition at deltaError / 4 and on each single step at
 * deltaError / (8 n), plus 3 (Gopi et al. 2021, Remark 5.6, as Opacus's
 * `compute_safe_domain_size` does it).
 */
function safeHalfWidth(history: readonly Composition[], epsError: number, deltaError: number, total: number): number {
  let width = rdpEpsilon(history, deltaError / 4);
  for (const c of history) width = Math.max(width, rdpEpsilon([{ ...c, steps: 1 }], deltaError / (8 * total)));
  return Math.max(width, epsError) + 3;
}

/** One entry per distinct (noise, rate): the order of steps does not change their sum. */
function groupSteps(history: readonly Composition[]): Composition[] {
  const byKey = new Map<string, Composition>();
  for (const c of history) {
    const key = `${c.noiseMultiplier}/${c.sampleRate}`;
    const seen = byKey.get(key);
    if (seen) seen.steps += c.steps;
    else byKey.set(key, { ...c });
  }
  return [...byKey.values()];
}

/**
 * The PRV accountant (Gopi, Lee, Wutschitz 2021, "Numerical composition of differential
 * privacy"), as Opacus's `PRVAccountant`: discretise each step's privacy loss random variable
 * on a grid fine enough for epsError, compose by FFT, and read epsilon off the composed
 * distribution with error bounds. It reports the upper bound, a guarantee, as Opacus does.
 * Like Opacus it analyses the remove direction (P = mixture, Q = N(0, sigma^2)).
 */
export const prvAccountant: AccountantDefinition<typeof options> = {
  id: 'prv',
  title: 'Privacy random variable (PRV) accountant',
  description: 'Numerical composition of privacy loss distributions by FFT (Gopi et al. 2021); tighter than RDP, with explicit error bounds.',
  method: 'PRV composition by FFT (Gopi et al. 2021); the upper end of its error band',
  options,
  epsilon(history, delta, { epsError, deltaError = delta / 1000 }) {
    const groups = groupSteps(history);
    const total = groups.reduce((n, c) => n + c.steps, 0);
    const halfWidth = safeHalfWidth(groups, epsError, deltaError, total);
    const grid = alignedGrid(halfWidth, epsError / Math.sqrt((total * Math.log(12 / deltaError)) / 2));
    if (grid.size > MAX_POINTS || halfWidth > MAX_HALF_WIDTH) {
      throw new EpsilonOutOfRangeError(
        `PRV accounting needs ${grid.size} grid points reaching ${halfWidth.toFixed(1)} here (at most ${MAX_POINTS} reaching ${MAX_HALF_WIDTH}); ` +
          'use the rdp accountant or a larger epsError',
        { field: 'accountant' },
      );
    }
    if (Number.EPSILON * grid.size > delta - deltaError) {
      throw new InputError(`delta ${delta} is too small for a ${grid.size}-point PRV grid: rounding would dominate; use the rdp accountant`, {
        field: 'delta',
      });
    }
    const parts = groups.map((c) => ({ prv: discretise(new SubsampledGaussianPrv(c.sampleRate, c.noiseMultiplier), grid), count: c.steps }));
    const bounds = epsilonBounds(compose(parts, grid), grid, delta, deltaError, epsError);
    return {
      accountant: 'prv',
      epsilon: bounds.upper,
      delta,
      method: prvAccountant.method,
      assumptions: ANALYSIS_ASSUMPTIONS,
      details: { kind: 'prv', ...bounds, epsError, deltaError, points: grid.size },
      warnings: [],
    };
  },
};
