import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, median, normalLogPdf } from '../../core/stats.js';

test('normalLogPdf and median', () => {
  assert.ok(Math.abs(normalLogPdf(1, 1, 2) - (-Math.log(2) - 0.5 * Math.log(2 * Math.PI))) < 1e-12);
  assert.ok(Math.abs(normalLogPdf(3, 1, 2) - normalLogPdf(-1, 1, 2)) < 1e-12, 'symmetric about the mean');
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(mean([1, 2, 6]), 3);
  assert.equal(mean([]), 0);
});
