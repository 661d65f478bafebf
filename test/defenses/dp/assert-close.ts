import assert from 'node:assert/strict';

/** Asserts |actual - expected| <= rel |expected|, with both numbers in the message. */
export function assertClose(actual: number, expected: number, rel: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what} ${actual} vs ${expected} (rel ${rel})`);
}
