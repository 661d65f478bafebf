import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubsampledGaussianPrv } from '../../../../../defenses/dp/accountants/analysis/subsampled-gaussian-prv.js';
import { normalCdf } from '../../../../../core/special-functions.js';
import { assertClose } from '../../../../fixtures/assert-close.js';

test('cdf and sf are complementary and the loss never falls below log(1 - q)', () => {
  const prv = new SubsampledGaussianPrv(0.04, 1.5);
  for (const t of [-0.03, -0.01, 0, 0.02, 0.5, 3]) assertClose(prv.cdf(t) + prv.sf(t), 1, 1e-15, `t=${t}`);
  assert.equal(prv.cdf(Math.log1p(-0.04)), 0);
  assert.equal(prv.sf(-0.5), 1);
  assert.ok(prv.sf(20) > 0 && prv.sf(20) < 1e-30, 'the upper tail is resolved, not rounded to 0');
});

test('q = 1: the loss of N(1, s^2) vs N(0, s^2) is N(1/(2 s^2), 1/s^2)', () => {
  const s = 2;
  const prv = new SubsampledGaussianPrv(1, s);
  for (const t of [-1, 0, 0.125, 1.5]) assertClose(prv.cdf(t), normalCdf((t - 1 / (2 * s * s)) * s), 1e-14, `t=${t}`);
  assertClose(prv.cdf(1.5), 0.99702023676494544, 1e-14, 'mpmath ncdf');
  assertClose(prv.truncatedMean(-30, 30), 1 / (2 * s * s), 1e-9, 'mean = KL divergence');
});

test('the mean of the untruncated loss is the KL divergence KL(P || Q) (mpmath quadrature)', () => {
  assertClose(new SubsampledGaussianPrv(0.04, 1.5).truncatedMean(-20, 20), 0.00043683647551485428, 1e-8);
  assertClose(new SubsampledGaussianPrv(0.01, 0.7).truncatedMean(-20, 20), 0.00029536389582084392, 1e-8);
  assertClose(new SubsampledGaussianPrv(0.3, 0.5).truncatedMean(-20, 20), 0.30814248208720185, 1e-8);
});

test('truncation removes the mass above the cut and lowers the mean', () => {
  const prv = new SubsampledGaussianPrv(0.3, 0.5);
  assert.ok(prv.truncatedMean(-20, 1) < prv.truncatedMean(-20, 20));
  assert.ok(prv.truncatedMean(-20, 1) <= 1);
});
