import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { open, seal, sealedBytes } from '../../../defenses/secagg/authenticated-encryption.js';
import { agree, generateKeyPair, importPublicKey, keyPairFromSecret } from '../../../defenses/secagg/key-agreement.js';

test('both ends agree on the same key per purpose; purposes and pairs differ', () => {
  const rng = Rng.fromSeed('ka');
  const [a, b, c] = [generateKeyPair(rng), generateKeyPair(rng), generateKeyPair(rng)];
  const ab = agree(a.privateKey, importPublicKey(b.publicKey), 'mask', 3, 8);
  assert.equal(ab.length, 32);
  assert.deepEqual(agree(b.privateKey, importPublicKey(a.publicKey), 'mask', 8, 3), ab);
  assert.notDeepEqual(agree(a.privateKey, importPublicKey(b.publicKey), 'share-encryption', 3, 8), ab);
  assert.notDeepEqual(agree(a.privateKey, importPublicKey(c.publicKey), 'mask', 3, 8), ab);
  // A key pair rebuilt from its 32-byte secret (what the server does after reconstruction) is the same.
  assert.deepEqual(keyPairFromSecret(a.secret).publicKey, a.publicKey);
  assert.throws(() => importPublicKey(new Uint8Array(31)), /32 bytes/);
});

test('sealed shares open only with the right key and route, and are not altered', () => {
  const rng = Rng.fromSeed('ae');
  const key = rng.bytes(32);
  const plaintext = rng.bytes(66);
  const sealed = seal(key, plaintext, 1, 2, rng);
  assert.equal(sealed.length, sealedBytes(66));
  assert.equal(sealed.length, 94);
  assert.deepEqual(open(key, sealed, 1, 2), plaintext);
  assert.throws(() => open(key, sealed, 2, 1), /unable to authenticate/i, 'redirected to another client');
  assert.throws(() => open(rng.bytes(32), sealed, 1, 2), /unable to authenticate/i, 'wrong key');
  const tampered = Buffer.from(sealed);
  tampered[20] ^= 1;
  assert.throws(() => open(key, tampered, 1, 2), /unable to authenticate/i, 'altered');
});
