import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  erfc,
  inverseRegularizedBeta,
  logAddExp,
  logBinomial,
  logErfc,
  logGamma,
  logSubExp,
  logSumExp,
  normalCdf,
  regularizedBeta,
} from '../../core/special-functions.js';
import { assertClose } from '../fixtures/assert-close.js';

// Expected values: mpmath at 30 digits (erfc, loggamma, betainc, ncdf) and scipy.stats.beta.ppf.

test('erfc matches mpmath across the series / continued-fraction switch and deep in the tail', () => {
  const cases: [number, number][] = [
    [-3, 1.9999779095030014],
    [0, 1],
    [0.3, 0.67137324054087258],
    [1, 0.15729920705028513],
    [2, 0.0046777349810472658],
    [2.5, 0.00040695201744495894],
    [5, 1.5374597944280349e-12],
    [10, 2.0884875837625448e-45],
  ];
  for (const [x, want] of cases) assertClose(erfc(x), want, 4e-15, `erfc(${x})`);
  assert.equal(erfc(Infinity), 0);
  assert.equal(erfc(-Infinity), 2);
  assertClose(normalCdf(-1.5), 0.066807201268858066, 4e-15, 'Phi(-1.5)');
});

test('logErfc stays accurate where erfc is 1 - tiny and where it underflows', () => {
  const cases: [number, number][] = [
    [1e-8, -1.1283791734617103e-8],
    [1, -1.8496055099332482],
    [30, -903.97411711064388],
    [100, -10005.177585122664],
    [1000, -1000007.4801207219],
  ];
  for (const [x, want] of cases) assertClose(logErfc(x), want, 1e-14, `logErfc(${x})`);
  assert.equal(erfc(30), 0, 'erfc(30) underflows, which is why logErfc exists');
});

test('logGamma matches mpmath from tiny to huge arguments', () => {
  const cases: [number, number][] = [
    [1e-10, 23.025850929882735],
    [0.5, 0.57236494292470009],
    [3.7, 1.4280723266653881],
    [14.9, 24.924132002217278],
    [100, 359.1342053695754],
    [1e6, 12815504.569147612],
  ];
  for (const [x, want] of cases) assertClose(logGamma(x), want, 5e-15, `logGamma(${x})`);
  assert.ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14);
  assertClose(Math.exp(logBinomial(10, 3)), 120, 1e-13);
  assert.throws(() => logGamma(0), RangeError);
});

test('log-space sums', () => {
  assertClose(logAddExp(Math.log(2), Math.log(3)), Math.log(5), 1e-15);
  assertClose(logAddExp(1000, 1000), 1000 + Math.log(2), 1e-15, 'no overflow');
  assert.equal(logAddExp(-Infinity, 3), 3);
  assertClose(logSubExp(Math.log(5), Math.log(3)), Math.log(2), 1e-15);
  assert.equal(logSubExp(2, 2), -Infinity);
  assert.throws(() => logSubExp(1, 2), RangeError);
  assertClose(logSumExp([Math.log(1), Math.log(2), Math.log(3)]), Math.log(6), 1e-15);
  assertClose(logSumExp([-2000, -2000]), -2000 + Math.log(2), 1e-15, 'no underflow');
});

test('regularized incomplete beta matches mpmath; its inverse matches scipy beta.ppf', () => {
  assertClose(regularizedBeta(0.3, 2, 5), 0.579825, 1e-13);
  assertClose(regularizedBeta(0.9, 50, 3), 0.096633285137252209, 1e-12);
  assertClose(regularizedBeta(1e-5, 0.5, 0.5), 0.0020131718394753873, 1e-13);
  assert.equal(regularizedBeta(0, 2, 3), 0);
  assert.equal(regularizedBeta(1, 2, 3), 1);
  const ppf: [number, number, number, number][] = [
    [0.025, 1, 100, 0.00025314603297742064],
    [0.025, 99, 2, 0.9455406146079194],
    [0.025, 1, 1e6, 2.5317807663794178e-8],
    [1e-12, 5, 5, 0.001514832915668444],
    [0.025, 1e6, 1, 0.9999963111273498],
    [0.025, 500000, 500001, 0.49901951919531184],
  ];
  for (const [p, a, b, want] of ppf) assertClose(inverseRegularizedBeta(p, a, b), want, 1e-11, `ppf(${p}; ${a}, ${b})`);
});
