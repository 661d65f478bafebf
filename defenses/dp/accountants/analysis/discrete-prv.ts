import { createFft } from './fft.js';
import type { SubsampledGaussianPrv } from './subsampled-gaussian-prv.js';

/**
 * The mesh PRVs are discretised on: t_i = tMin + i dt for i < size, a power of two (our FFT is
 * radix-2), with t = 0 at index size/2 - 1 exactly as Opacus's `Domain.create_aligned` lays
 * out its even-sized domain. That placement is what makes the index shift after an n-fold
 * circular convolution a simple roll (see `compose`).
 */
export interface Grid {
  tMin: number;
  dt: number;
  size: number;
}

/** The smallest such grid with mesh dt covering [-halfWidth, halfWidth]. */
export function alignedGrid(halfWidth: number, dt: number): Grid {
  const needed = 2 * Math.ceil(halfWidth / dt) + 2;
  const size = 2 ** Math.ceil(Math.log2(needed));
  return { tMin: -(size / 2 - 1) * dt, dt, size };
}

/** Probabilities at the atoms t_i + shift of a grid. */
export interface DiscretePrv {
  pmf: Float64Array;
  shift: number;
}

/**
 * Gopi et al. 2021, Sec. 5: truncate the PRV to the grid's span, give atom i the mass of
 * [t_i - dt/2, t_i + dt/2], then shift all atoms by the difference between the continuous and
 * the discrete mean, so the composition's mean stays exact and only its spread errs (this is
 * what their error bounds need; Opacus's `discretize`). Masses come from the lower tail below
 * the median and from the upper tail above it, so tiny tail masses are not lost to 1 - x.
 */
export function discretise(prv: SubsampledGaussianPrv, { tMin, dt, size }: Grid): DiscretePrv {
  const tMax = tMin + (size - 1) * dt;
  // Edge k is t_k - dt/2, clipped to the span; bin i lies between edges i and i + 1.
  const edge = (k: number) => Math.min(Math.max(tMin + (k - 0.5) * dt, tMin), tMax);
  // Below the median edge P[Y <= e] is computed, above it P[Y > e]: each where it is small.
  let median = 0;
  for (let hi = size + 1; median < hi; ) {
    const mid = (median + hi) >> 1;
    if (prv.cdf(edge(mid)) <= 0.5) median = mid + 1;
    else hi = mid;
  }
  const lower = new Float64Array(size + 1); // P[Y <= edge k]
  const upper = new Float64Array(size + 1); // P[Y > edge k]
  for (let k = 0; k <= size; k++) {
    if (k < median) {
      lower[k] = prv.cdf(edge(k));
      upper[k] = 1 - lower[k];
    } else {
      upper[k] = prv.sf(edge(k));
      lower[k] = 1 - upper[k];
    }
  }
  // A bin's mass is a difference of the tail that is small at its upper edge.
  const binMass = (from: number, to: number) => (to < median ? lower[to] - lower[from] : upper[from] - upper[to]);
  const mass = binMass(0, size);
  const pmf = new Float64Array(size);
  let discreteMean = 0;
  for (let i = 0; i < size; i++) {
    pmf[i] = binMass(i, i + 1) / mass;
    discreteMean += (tMin + i * dt) * pmf[i];
  }
  const shift = prv.truncatedMean(tMin, tMax) - discreteMean;
  if (Math.abs(shift) >= dt / 2) throw new Error(`PRV discretisation: mean shift ${shift} exceeds half the mesh ${dt / 2}`);
  return { pmf, shift };
}

/**
 * The PRV of a composition is the sum of the steps' PRVs, so its pmf is their convolution:
 * here the product of their spectra, each raised to its number of steps (in polar form), and
 * one inverse FFT, as Opacus's `_compose_fourier` does for one kind of step. Index sums are
 * taken mod size; with t = 0 at index size/2 - 1, the sum of n atoms lands at index
 * sum(i) - (n-1)(size/2 - 1), i.e. the circular result rolled right by n - 1 (plus size/2
 * when n is even). The grid is wide enough (`alignedGrid` of a safe half-width) that the
 * mass wrapping around is below the error budget.
 */
export function compose(parts: { prv: DiscretePrv; count: number }[], { size }: Grid): DiscretePrv {
  const fft = createFft(size);
  const accRe = new Float64Array(size).fill(1);
  const accIm = new Float64Array(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let n = 0;
  let shift = 0;
  for (const { prv, count } of parts) {
    re.set(prv.pmf);
    im.fill(0);
    fft.forward(re, im);
    // A real pmf has a Hermitian spectrum, X[size - k] = conj(X[k]): raise half, mirror after.
    for (let k = 0; k <= size / 2; k++) {
      const logR = 0.5 * count * Math.log(re[k] * re[k] + im[k] * im[k]);
      // Past e^-745 a double is 0; most high frequencies of a many-step composition get there.
      if (logR < -745 || (accRe[k] === 0 && accIm[k] === 0)) {
        accRe[k] = 0;
        accIm[k] = 0;
        continue;
      }
      const angle = count * Math.atan2(im[k], re[k]);
      const r = Math.exp(logR);
      const pr = r * Math.cos(angle);
      const pi = r * Math.sin(angle);
      const ar = accRe[k];
      accRe[k] = ar * pr - accIm[k] * pi;
      accIm[k] = ar * pi + accIm[k] * pr;
    }
    n += count;
    shift += count * prv.shift;
  }
  for (let k = 1; k < size / 2; k++) {
    accRe[size - k] = accRe[k];
    accIm[size - k] = -accIm[k];
  }
  fft.inverse(accRe, accIm);
  const roll = (n - 1 + (n % 2 === 0 ? size / 2 : 0)) % size;
  const pmf = new Float64Array(size);
  for (let i = 0; i < size; i++) pmf[(i + roll) % size] = accRe[i];
  return { pmf, shift };
}

export interface EpsilonBounds {
  lower: number;
  estimate: number;
  upper: number;
}

/**
 * Epsilon at delta from a discrete PRV (Gopi et al. 2021, Sec. 5, as Opacus's
 * `DiscretePRV.compute_epsilon`). delta(eps) = E[(1 - e^{eps - Y})+] is piecewise smooth
 * between atoms: with tail sums D1(i) = sum_{j >= i} p_j and D2(i) = sum_{j >= i} p_j e^{-t_j},
 * find the first atom t_i with delta(t_i) <= target, and solve D1(i) - e^eps D2(i) = target
 * there. The true epsilon lies within [eps(delta + deltaError) - epsError,
 * eps(delta - deltaError) + epsError] when the grid was sized for those errors.
 * A negative epsilon means the composition is (0, delta)-DP, so each value is clamped at 0.
 */
export function epsilonBounds(prv: DiscretePrv, { tMin, dt, size }: Grid, delta: number, deltaError: number, epsError: number): EpsilonBounds {
  const d1 = new Float64Array(size);
  const d2 = new Float64Array(size);
  let s1 = 0;
  let s2 = 0;
  for (let i = size - 1; i >= 0; i--) {
    s1 += prv.pmf[i];
    s2 += prv.pmf[i] * Math.exp(-(tMin + i * dt + prv.shift));
    d1[i] = s1;
    d2[i] = s2;
  }
  // -delta(t_i) = e^{t_i} D2(i) - D1(i), non-decreasing in i.
  const negDelta = (i: number) => Math.exp(tMin + i * dt + prv.shift) * d2[i] - d1[i];
  const solve = (target: number) => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (negDelta(mid) < -target) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0 || lo === size) throw new Error(`PRV epsilon at delta ${target} lies outside the grid`);
    return Math.log((d1[lo] - target) / d2[lo]);
  };
  return {
    lower: Math.max(0, solve(delta + deltaError) - epsError),
    estimate: Math.max(0, solve(delta)),
    upper: Math.max(0, solve(delta - deltaError) + epsError),
  };
}
