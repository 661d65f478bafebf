import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFft } from '../../../../../defenses/dp/accountants/analysis/fft.js';
import { Rng } from '../../../../../core/rng.js';

/** The O(n^2) definition X_k = sum_j x_j e^{-2 pi i jk/n}, to check the fast one against. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      outRe[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      outIm[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
  }
  return [outRe, outIm];
}

function randomComplex(n: number, seed: string): [Float64Array, Float64Array] {
  const rng = Rng.fromSeed(seed);
  return [Float64Array.from({ length: n }, () => rng.normal()), Float64Array.from({ length: n }, () => rng.normal())];
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

test('forward FFT equals the DFT definition for every size up to 2^14 tried', () => {
  for (const n of [1, 2, 4, 8, 64, 1024, 1 << 14]) {
    const [re, im] = randomComplex(n, `fft-${n}`);
    const [wantRe, wantIm] = n <= 1024 ? naiveDft(re, im) : [undefined, undefined];
    const fft = createFft(n);
    const outRe = re.slice();
    const outIm = im.slice();
    fft.forward(outRe, outIm);
    if (wantRe && wantIm) {
      assert.ok(maxDiff(outRe, wantRe) < 1e-9 && maxDiff(outIm, wantIm) < 1e-9, `n=${n}`);
    }
    fft.inverse(outRe, outIm);
    assert.ok(maxDiff(outRe, re) < 1e-12 && maxDiff(outIm, im) < 1e-12, `inverse(forward(x)) = x at n=${n}`);
  }
});

test('a product of spectra is a circular convolution', () => {
  const n = 16;
  const a = Float64Array.from({ length: n }, (_, i) => (i < 3 ? 1 : 0));
  const b = Float64Array.from({ length: n }, (_, i) => (i === 14 ? 2 : 0));
  const fft = createFft(n);
  const [aIm, bIm] = [new Float64Array(n), new Float64Array(n)];
  fft.forward(a, aIm);
  fft.forward(b, bIm);
  const re = a.map((x, k) => x * b[k] - aIm[k] * bIm[k]);
  const im = a.map((x, k) => x * bIm[k] + aIm[k] * b[k]);
  fft.inverse(re, im);
  // [1,1,1,0,...] shifted by 14 wraps around to indices 14, 15, 0, each times 2.
  const want = Array.from({ length: n }, (_, i) => ([14, 15, 0].includes(i) ? 2 : 0));
  assert.ok(want.every((w, i) => Math.abs(re[i] - w) < 1e-12), `${Array.from(re, (x) => x.toFixed(3))}`);
});

test('sizes that are not a power of two are refused', () => {
  assert.throws(() => createFft(12), RangeError);
  assert.throws(() => createFft(8).forward(new Float64Array(4), new Float64Array(4)), RangeError);
});
