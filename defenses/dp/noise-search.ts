import { InputError } from '../../core/errors.js';
import { epsilon, type AccountantRef } from './accountants/accountant.js';
import { EpsilonOutOfRangeError, type EpsilonReport } from './accountants/types.js';
import { checkDelta, checkSampleRate, checkSteps } from './validate.js';

/** Opacus's MAX_SIGMA: a noise multiplier beyond this trains nothing useful. */
const MAX_NOISE = 1e6;

export interface NoiseQuery {
  targetEpsilon: number;
  sampleRate: number;
  steps: number;
  delta: number;
  accountant?: AccountantRef;
  /** The accountant's own options. */
  options?: unknown;
  /** The answer's epsilon lies in [target - tolerance, target]; 0.01 min(1, target) by default. */
  epsilonTolerance?: number;
  /** The largest noise multiplier tried. */
  maxNoise?: number;
}

export interface NoiseAnswer {
  noiseMultiplier: number;
  /** The accountant's report at that noise multiplier: its epsilon is at most the target. */
  report: EpsilonReport;
}

/**
 * The smallest noise multiplier (to the tolerance) whose epsilon meets the target, by the
 * search of Opacus's `get_noise_multiplier`: double an upper bracket from 20 (up to maxNoise)
 * until it meets the target, then bisect down. Returns the upper end, so the target is never exceeded.
 * An accountant that cannot compute an epsilon that large counts as "not enough noise".
 */
export function noiseForEpsilon(query: NoiseQuery): NoiseAnswer {
  const { targetEpsilon, sampleRate, steps, delta, accountant = 'rdp', options } = query;
  if (!(targetEpsilon > 0 && Number.isFinite(targetEpsilon))) {
    throw new InputError(`targetEpsilon must be a finite number > 0, got ${targetEpsilon}`, { field: 'targetEpsilon' });
  }
  checkSampleRate(sampleRate);
  checkSteps(steps);
  checkDelta(delta);
  const tolerance = query.epsilonTolerance ?? 0.01 * Math.min(1, targetEpsilon);
  const maxNoise = query.maxNoise ?? MAX_NOISE;
  const at = (noiseMultiplier: number): EpsilonReport | undefined => {
    try {
      return epsilon({ sampleRate, noiseMultiplier, steps, delta, accountant, options });
    } catch (err) {
      if (err instanceof EpsilonOutOfRangeError) return undefined;
      throw err;
    }
  };
  let low = 0;
  let high = Math.min(20, maxNoise);
  let highReport = at(high);
  while (!highReport || highReport.epsilon >= targetEpsilon) {
    if (high >= maxNoise) {
      throw new InputError(
        `no noise multiplier up to ${maxNoise} reaches epsilon ${targetEpsilon} at delta ${delta} (at ${maxNoise} it is ${highReport?.epsilon}); ` +
          'raise targetEpsilon or delta, take fewer steps, or use the prv accountant, whose bound is tighter for small epsilon',
        { field: 'targetEpsilon' },
      );
    }
    high = Math.min(2 * high, maxNoise);
    highReport = at(high);
  }
  // Each halving of the bracket moves epsilon less; 200 halvings exhaust double precision.
  for (let i = 0; i < 200 && targetEpsilon - highReport.epsilon > tolerance; i++) {
    const mid = (low + high) / 2;
    const report = at(mid);
    if (report && report.epsilon < targetEpsilon) {
      high = mid;
      highReport = report;
    } else {
      low = mid;
    }
  }
  return { noiseMultiplier: high, report: highReport };
}
