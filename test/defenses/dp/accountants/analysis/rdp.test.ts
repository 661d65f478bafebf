import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ORDERS, historyRdp, rdpToEpsilon, subsampledGaussianRdp } from '../../../../../defenses/dp/accountants/analysis/rdp.js';
import { assertClose } from '../../../../fixtures/assert-close.js';

test("the default grid is Opacus's: 1.1 ... 10.9 by tenths, then 12 ... 63", () => {
  assert.equal(DEFAULT_ORDERS.length, 99 + 52);
  assert.equal(DEFAULT_ORDERS[0], 1.1);
  assert.equal(DEFAULT_ORDERS[98], 10.9);
  assert.deepEqual(DEFAULT_ORDERS.slice(99, 101), [12, 13]);
  assert.equal(DEFAULT_ORDERS[DEFAULT_ORDERS.length - 1], 63);
  assert.ok(!DEFAULT_ORDERS.includes(11));
});

test('q = 1 is the plain Gaussian alpha / (2 sigma^2); q = 0 releases nothing', () => {
  for (const order of [1.5, 2, 7.3, 32]) {
    assert.equal(subsampledGaussianRdp(1, 2, order), order / 8);
    assert.equal(subsampledGaussianRdp(0, 2, order), 0);
  }
});

test('one step matches direct quadrature of the Renyi divergence (mpmath, 40 digits)', () => {
  // D_alpha(P||Q) = log(int P^alpha Q^(1-alpha)) / (alpha - 1) by mp.quad, P = (1-q)N(0,s^2) + qN(1,s^2).
  assertClose(subsampledGaussianRdp(0.01, 0.7, 4.4) * 120, 0.54663279614287235, 1e-9, 'fractional order');
  assertClose(subsampledGaussianRdp(0.001, 10, 1.2), 6.0300516246289894e-9, 1e-6, 'tiny RDP');
  assertClose(subsampledGaussianRdp(0.1, 0.5, 63), 123.66027643776411, 1e-12, 'integer order, huge RDP');
  assertClose(subsampledGaussianRdp(0.01, 1, 4.4), 0.00040442349470988436, 1e-9, 'fractional order, sigma 1');
});

test('the erfc series (fractional orders) and the binomial sum (integer orders) agree at the seam', () => {
  for (const [q, sigma] of [
    [0.01, 0.7],
    [0.1, 2],
    [0.0025, 1.3],
  ]) {
    for (const order of [2, 4, 13]) {
      const at = subsampledGaussianRdp(q, sigma, order);
      assertClose(subsampledGaussianRdp(q, sigma, order - 1e-7), at, 1e-5, `q=${q} sigma=${sigma} below ${order}`);
      assertClose(subsampledGaussianRdp(q, sigma, order + 1e-7), at, 1e-5, `q=${q} sigma=${sigma} above ${order}`);
    }
  }
});

test('RDP grows with the order (Renyi divergences are monotone in alpha)', () => {
  for (const [q, sigma] of [
    [0.001, 0.5],
    [0.04, 1.5],
    [0.5, 5],
  ]) {
    const curve = DEFAULT_ORDERS.map((a) => subsampledGaussianRdp(q, sigma, a));
    curve.forEach((r, k) => assert.ok(k === 0 || r >= curve[k - 1] * (1 - 1e-12), `q=${q} sigma=${sigma} at ${DEFAULT_ORDERS[k]}`));
  }
});

test('a history composes by adding its RDP curves', () => {
  const orders = [2, 5.5, 20];
  const a = { sampleRate: 0.01, noiseMultiplier: 1, steps: 30 };
  const b = { sampleRate: 0.05, noiseMultiplier: 2, steps: 7 };
  const both = historyRdp([a, b], orders);
  orders.forEach((o, k) => assertClose(both[k], 30 * subsampledGaussianRdp(0.01, 1, o) + 7 * subsampledGaussianRdp(0.05, 2, o), 1e-14));
});

test('conversion: Balle et al. 2020 term by term, the best order, edges, and the clamp at 0', () => {
  const orders = [2, 3, 4];
  const rdp = [0.5, 0.6, 0.9];
  const byHand = orders.map((a, k) => rdp[k] + Math.log((a - 1) / a) - (Math.log(1e-5) + Math.log(a)) / (a - 1));
  const best = Math.min(...byHand);
  const got = rdpToEpsilon(orders, rdp, 1e-5);
  assertClose(got.epsilon, best, 1e-15);
  assert.equal(got.order, orders[byHand.indexOf(best)]);
  assert.equal(got.edge, 'largest');
  assert.equal(rdpToEpsilon([2, 3, 4], [0.1, 9, 12], 1e-5).edge, 'smallest');
  assert.equal(rdpToEpsilon([2, 3, 4], [3, 0.5, 3], 1e-5).edge, undefined);
  // Nothing released and a large delta: the formula goes negative, epsilon is 0.
  assert.equal(rdpToEpsilon(DEFAULT_ORDERS, new Float64Array(DEFAULT_ORDERS.length), 0.5).epsilon, 0);
});
