import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { Rng } from '../../../core/rng.js';
import { addInto, applyMask, expandMask } from '../../../defenses/secagg/prg.js';
import { randomWords, sumMod } from './fixtures.js';

test('expandMask is the AES-256-CTR keystream (zero IV) read as little-endian words, across chunk boundaries', () => {
  const seed = Rng.fromSeed('prg').bytes(32);
  for (const length of [1, 3, 16384, 16385, 40000]) {
    const keystream = createCipheriv('aes-256-ctr', seed, Buffer.alloc(16)).update(Buffer.alloc(length * 4));
    const expected = Uint32Array.from({ length }, (_, i) => keystream.readUInt32LE(4 * i));
    assert.deepEqual(expandMask(seed, length), expected, `length ${length}`);
  }
  assert.notDeepEqual(expandMask(Buffer.alloc(32, 1), 8), expandMask(Buffer.alloc(32, 2), 8));
});

test('applyMask adds or subtracts the mask mod 2^32; +mask then -mask is the identity', () => {
  const rng = Rng.fromSeed('apply');
  const seed = rng.bytes(32);
  const length = 20000;
  const x = randomWords(rng, length);
  const y = x.slice();
  applyMask(y, seed, 1);
  assert.deepEqual(y, sumMod([x, expandMask(seed, length)], length));
  applyMask(y, seed, -1);
  assert.deepEqual(y, x);
  const acc = x.slice();
  addInto(acc, y);
  assert.deepEqual(acc, sumMod([x, x], length));
});
