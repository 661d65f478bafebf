/** 2^13 complex values (128 KiB): the butterflies of stages this small run inside the L2 cache. */
const CACHE_BLOCK = 1 << 13;
/**
 * Twiddle factors w_len^k = e^{-2 pi i k / len} of every stage, stage len at [len/2, len):
 * contiguous in k, so the butterflies read them in order. The last stage is computed with
 * cos/sin point by point (a rotation recurrence drifts enough to move a PRV epsilon by 1e-7);
 * the smaller stages are its subsamples, since w_len^k = w_n^{k n / len}.
 */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  const half = n >> 1;
  for (let k = 0; k < half; k++) {
    cos[half + k] = Math.cos((2 * Math.PI * k) / n);
    sin[half + k] = -Math.sin((2 * Math.PI * k) / n);
  }
  for (let h = half >> 1; h >= 1; h >>= 1) {
    for (let k = 0; k < h; k++) {
      cos[h + k] = cos[2 * h + 2 * k];
      sin[h + k] = sin[2 * h + 2 * k];
    }
  }
  return { cos, sin };
}

/** A radix-2 FFT of one power-of-two length, with its twiddle table computed once. */
export interface Fft {
  readonly size: number;
  /** In place: (re, im) becomes its discrete Fourier transform, sum_j x_j e^{-2 pi i jk / n}. */
  forward(re: Float64Array, im: Float64Array): void;
  /** In place, the exact inverse of `forward` (conjugate twiddles, divided by n). */
  inverse(re: Float64Array, im: Float64Array): void;
}

/** Iterative Cooley-Tukey (decimation in time) on separate real and imaginary Float64Arrays. */
export function createFft(size: number): Fft {
  if (!(size >= 1) || (size & (size - 1)) !== 0) throw new RangeError(`fft size must be a power of two, got ${size}`);
  const { cos, sin } = twiddles(size);

  function transform(re: Float64Array, im: Float64Array, sign: 1 | -1): void {
    const n = size;
    if (re.length !== n || im.length !== n) throw new RangeError(`fft of size ${n} got arrays of ${re.length} and ${im.length}`);
    for (let i = 1, j = 0; i < n; i++) {
      let bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j |= bit;
      if (i < j) {
        const r = re[i];
        re[i] = re[j];
        re[j] = r;
        const m = im[i];
        im[i] = im[j];
        im[j] = m;
      }
    }
    const stages = (from: number, to: number, h0: number, h1: number) => {
      for (let h = h0; h < h1; h <<= 1) {
        for (let start = from; start < to; start += 2 * h) {
          for (let k = 0; k < h; k++) {
            const wr = cos[h + k];
            const wi = sign * sin[h + k];
            const a = start + k;
            const b = a + h;
            const xr = re[b] * wr - im[b] * wi;
            const xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
        }
      }
    };
    // The small stages run block by block, so each block stays in cache through all of them.
    const block = Math.min(n, CACHE_BLOCK);
    for (let from = 0; from < n; from += block) stages(from, from + block, 1, block);
    stages(0, n, block, n);
  }

  return {
    size,
    forward: (re, im) => transform(re, im, 1),
    inverse(re, im) {
      transform(re, im, -1);
      for (let i = 0; i < size; i++) {
        re[i] /= size;
        im[i] /= size;
      }
    },
  };
}
