import { InputError } from '../../core/errors.js';
import type { Composition } from './accountants/types.js';

function fail(field: string, value: number, rule: string, fix: string): never {
  throw new InputError(`${field} must be ${rule}, got ${value}; ${fix}`, { field });
}

/** The Poisson sampling probability of one step. */
export function checkSampleRate(sampleRate: number): void {
  if (!(sampleRate > 0 && sampleRate <= 1)) {
    fail('sampleRate', sampleRate, 'in (0, 1]', 'it is the Poisson sampling probability, batch size / dataset size');
  }
}

/** The number of steps of a composition. */
export function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 1) fail('steps', steps, 'an integer >= 1', 'count optimizer steps (epochs / sampleRate for full passes)');
}

/** Checks one composition; every message names the field and says how to fix it. */
export function checkComposition({ sampleRate, noiseMultiplier, steps }: Composition): void {
  checkSampleRate(sampleRate);
  if (!(noiseMultiplier > 0) || noiseMultiplier === Infinity) {
    fail('noiseMultiplier', noiseMultiplier, 'a finite number > 0', 'it is the noise std divided by the clipping norm; 0 means no privacy');
  }
  checkSteps(steps);
}

/** delta is a probability of failure: 0 makes every Gaussian bound infinite, 1 says nothing. */
export function checkDelta(delta: number): void {
  if (!(delta > 0 && delta < 1)) fail('delta', delta, 'in (0, 1)', 'pick delta well below 1 / dataset size, e.g. 1e-5');
}

/**
 * A delta of 1/N or more allows a mechanism that publishes one of N examples in the clear and
 * still meets the guarantee, so it protects nobody (Dwork and Roth 2014, Sec. 2.3).
 */
export function deltaWarning(delta: number, datasetSize: number): string | undefined {
  if (!Number.isInteger(datasetSize) || datasetSize < 1) fail('datasetSize', datasetSize, 'an integer >= 1', 'give the number of training examples');
  if (delta < 1 / datasetSize) return undefined;
  return `delta ${delta} >= 1/N = ${1 / datasetSize} for N = ${datasetSize}: such a delta allows leaking one example outright; use delta << 1/N`;
}
