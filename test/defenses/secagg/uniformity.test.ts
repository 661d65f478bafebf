import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { expandMask } from '../../../defenses/secagg/prg.js';
import { runOn, sumMod } from './fixtures.js';

/** Upper chi-square quantile by Wilson-Hilferty, z standard deviations out. */
const chiSquareCritical = (df: number, z: number): number => df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;

/**
 * The statistics a uniform vector of words passes: a chi-square test of its byte histogram
 * (255 df, critical value at p ~ 1e-6) and a balance test of each of the 32 bit positions
 * (|z| < 5). Returns the ones that fail.
 */
function uniformityFailures(words: Uint32Array): string[] {
  const failures: string[] = [];
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) counts[b]++;
  const expected = bytes.length / 256;
  const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  if (chi2 > chiSquareCritical(255, 4.75)) failures.push(`byte chi-square ${chi2.toFixed(0)}`);
  for (let bit = 0; bit < 32; bit++) {
    let ones = 0;
    for (const w of words) ones += (w >>> bit) & 1;
    const z = (ones - words.length / 2) / Math.sqrt(words.length / 4);
    if (Math.abs(z) >= 5) failures.push(`bit ${bit} z=${z.toFixed(1)}`);
  }
  return failures;
}

test('a masked vector of an all-zero input looks uniform; unmasked or weakly masked vectors fail the same statistics', async () => {
  const length = 8192;
  const inputs = Array.from({ length: 5 }, () => new Uint32Array(length));
  const { serverView } = await runOn(inputs, 3, Rng.fromSeed('uniform'));
  const y0 = serverView.masked.get(0)!;
  assert.deepEqual(uniformityFailures(y0), []);
  // Even after the server removes the self mask it reconstructed, the pairwise masks keep y_0 uniform.
  const minusSelf = sumMod([y0, expandMask(serverView.selfMaskSeeds.get(0)!, length).map((m) => -m >>> 0)], length);
  assert.deepEqual(uniformityFailures(minusSelf), []);

  // The statistics can fail: the input itself, and a mask that only covers the low byte.
  assert.notDeepEqual(uniformityFailures(inputs[0]), []);
  const weak = expandMask(Buffer.alloc(32, 7), length).map((m) => m & 0xff);
  const failures = uniformityFailures(weak);
  assert.ok(failures.some((f) => f.startsWith('byte chi-square')) && failures.some((f) => f.startsWith('bit 31')), failures.join('; '));
});
