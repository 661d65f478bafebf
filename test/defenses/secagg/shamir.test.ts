import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { randomElement } from '../../../defenses/secagg/field.js';
import { reconstruct, share } from '../../../defenses/secagg/shamir.js';

test('property: any t shares reconstruct the secret and t-1 shares give a different value', () => {
  const rng = Rng.fromSeed('shamir');
  for (let trial = 0; trial < 60; trial++) {
    const holders = 2 + rng.int(14);
    const t = 2 + rng.int(holders - 1);
    // Holder ids as in the protocol: distinct client ids + 1, not necessarily consecutive.
    const xs = [...rng.permutation(40)].slice(0, holders).map((id) => id + 1);
    const secret = randomElement(rng);
    const shares = share(secret, t, xs, rng);
    assert.deepEqual(shares.map((s) => s.x), xs);
    for (let subset = 0; subset < 5; subset++) {
      const order = rng.permutation(holders);
      const pick = (k: number) => [...order].slice(0, k).map((i) => shares[i]);
      assert.equal(reconstruct(pick(t)), secret, `t=${t} of ${holders}`);
      if (holders > t) assert.equal(reconstruct(pick(t + 1)), secret, 'more than t shares also work');
      assert.notEqual(reconstruct(pick(t - 1)), secret, `t-1=${t - 1} shares of ${holders}`);
    }
  }
});

test('share checks its threshold and points', () => {
  const rng = Rng.fromSeed('shamir-args');
  assert.throws(() => share(5n, 4, [1, 2, 3], rng), /threshold 4 must be in \[1, 3\]/);
  assert.throws(() => share(5n, 2, [1, 1, 3], rng), /distinct positive/);
  assert.throws(() => share(5n, 2, [0, 1, 3], rng), /distinct positive/);
  // t = 1 is a constant polynomial: every share is the secret.
  assert.deepEqual(share(5n, 1, [1, 2], rng).map((s) => s.y), [5n, 5n]);
});
