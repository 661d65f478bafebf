import { logAddExp, normalCdf } from '../../../../core/special-functions.js';

/**
 * The privacy loss random variable (PRV) of one step of the Poisson-subsampled Gaussian
 * mechanism (Gopi, Lee, Wutschitz 2021, Appendix B): with P = (1-q) N(0, sigma^2) + q N(1, sigma^2)
 * and Q = N(0, sigma^2), Y = log(P(x) / Q(x)) for x ~ P. Writing z = (2x - 1) / (2 sigma^2), the
 * log-likelihood ratio of the two Gaussians, Y = log(1 - q + q e^z), so Y <= t exactly when
 * x <= sigma^2 z(t) + 1/2 with z(t) = log((e^t - 1 + q) / q), and Y > log(1 - q) always.
 * Both tails are kept (`cdf` and `sf`) so that differences of either stay accurate.
 */
export class SubsampledGaussianPrv {
  private readonly floor: number;

  constructor(
    readonly sampleRate: number,
    readonly noiseMultiplier: number,
  ) {
    this.floor = Math.log1p(-sampleRate);
  }

  /** The x (in noise units of the released sum) at which the privacy loss equals t. */
  private threshold(t: number): number {
    const q = this.sampleRate;
    const z = Math.log(Math.expm1(t) + q) - Math.log(q);
    return this.noiseMultiplier * this.noiseMultiplier * z + 0.5;
  }

  /** P[Y <= t]: the mixture's mass below the threshold. */
  cdf(t: number): number {
    if (t <= this.floor) return 0;
    const { sampleRate: q, noiseMultiplier: s } = this;
    const x = this.threshold(t);
    return q * normalCdf((x - 1) / s) + (1 - q) * normalCdf(x / s);
  }

  /** P[Y > t], accurate far into the upper tail where 1 - cdf(t) would round to 0. */
  sf(t: number): number {
    if (t <= this.floor) return 1;
    const { sampleRate: q, noiseMultiplier: s } = this;
    const x = this.threshold(t);
    return q * normalCdf((1 - x) / s) + (1 - q) * normalCdf(-x / s);
  }

  /**
   * E[Y | tLow <= Y <= tHigh] by composite Simpson integration over x, where the integrand is
   * smooth: Y(x) bends over a width sigma^2 and the density decays over sigma, so the step is
   * a 64th of the smaller. Beyond 40 sigma from the mixture's means the density is below e^-800.
   */
  truncatedMean(tLow: number, tHigh: number): number {
    const { sampleRate: q, noiseMultiplier: s } = this;
    const lo = Math.max(tLow > this.floor ? this.threshold(tLow) : -Infinity, -40 * s);
    const hi = Math.min(this.threshold(tHigh), 1 + 40 * s);
    const logQ = Math.log(q);
    const gaussian = (u: number) => Math.exp((-u * u) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    const density = (x: number) => (1 - q) * gaussian(x) + q * gaussian(x - 1);
    const loss = (x: number) => logAddExp(this.floor, logQ + (2 * x - 1) / (2 * s * s));
    const n = 2 * Math.ceil((hi - lo) / (2 * (Math.min(s, s * s) / 64)));
    const h = (hi - lo) / n;
    let weighted = 0;
    let mass = 0;
    for (let k = 0; k <= n; k++) {
      const x = lo + k * h;
      const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
      const p = w * density(x);
      weighted += p * loss(x);
      mass += p;
    }
    return weighted / mass;
  }
}
