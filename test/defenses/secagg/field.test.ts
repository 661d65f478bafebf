import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { fromBytes, inverse, mod, P, randomElement, toBytes } from '../../../defenses/secagg/field.js';

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

test('p = 2^256 + 297 passes Miller-Rabin for the first 20 prime bases and exceeds every 32-byte secret', () => {
  let d = P - 1n;
  let s = 0;
  while ((d & 1n) === 0n) [d, s] = [d >> 1n, s + 1];
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n]) {
    let x = modPow(a, d, P);
    let witness = x !== 1n && x !== P - 1n;
    for (let i = 1; i < s && witness; i++) {
      x = (x * x) % P;
      if (x === P - 1n) witness = false;
    }
    assert.equal(witness, false, `base ${a} proves p composite`);
  }
  assert.ok(fromBytes(Buffer.alloc(32, 0xff)) < P);
});

test('inverse, mod and the byte encodings', () => {
  const rng = Rng.fromSeed('field');
  for (let i = 0; i < 50; i++) {
    const a = randomElement(rng);
    assert.ok(a >= 0n && a < P);
    if (a !== 0n) assert.equal(mod(a * inverse(a)), 1n);
    assert.equal(fromBytes(toBytes(a, 33)), a);
  }
  assert.equal(mod(-1n), P - 1n);
  assert.throws(() => inverse(P), /zero has no inverse/);
  assert.throws(() => toBytes(1n << 256n, 32), RangeError);
  assert.deepEqual([...toBytes(258n, 2)], [1, 2]);
});
