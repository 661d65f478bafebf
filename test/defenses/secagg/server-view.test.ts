import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { dropoutAt } from '../../../defenses/secagg/dropout.js';
import { agree, importPublicKey, keyPairFromSecret } from '../../../defenses/secagg/key-agreement.js';
import { encodeVector } from '../../../defenses/secagg/messages.js';
import { applyMask } from '../../../defenses/secagg/prg.js';
import { runOn, sumMod } from './fixtures.js';

const agreeing = (a: Uint32Array, b: Uint32Array): number => a.reduce((s, v, i) => s + (v === b[i] ? 1 : 0), 0);

test('the server never holds an unmasked update, even using every secret it reconstructed', async () => {
  const n = 8;
  const length = 256;
  // Recognisable, low-entropy inputs: what a real update looks like to a pattern search.
  const inputs = Array.from({ length: n }, (_, u) => Uint32Array.from({ length }, (_, i) => u * 1000 + i));
  const dropout = dropoutAt({ shareKeys: [7], maskedInputCollection: [5], unmasking: [2] });
  const { serverView, sum, survivors } = await runOn(inputs, 4, Rng.fromSeed('view'), { dropout });
  assert.deepEqual(survivors, [0, 1, 2, 3, 4, 6]);
  assert.deepEqual(sum, sumMod(survivors.map((u) => inputs[u]), length), 'the sum is what the server learns');

  // No message the server received carries an input, whole or in part.
  for (const { payload } of serverView.transcript) {
    for (const x of inputs) {
      assert.equal(Buffer.from(payload).indexOf(Buffer.from(encodeVector(x))), -1);
      assert.equal(Buffer.from(payload).indexOf(Buffer.from(encodeVector(x.subarray(0, 4)))), -1);
    }
  }
  // Secrets: b_u only for U3, s_v^SK only for the one that shared and then dropped (U2 \ U3); never both.
  assert.deepEqual([...serverView.selfMaskSeeds.keys()].sort(), survivors);
  assert.deepEqual([...serverView.maskKeys.keys()], [5]);

  // The strongest honest-but-curious unmasking: remove u's self mask and its masks with client 5.
  const maskKeyOf5 = keyPairFromSecret(serverView.maskKeys.get(5)!).privateKey;
  const advertised = new Map(serverView.transcript.filter((m) => m.round === 'advertiseKeys').map((m) => [m.from, m.payload]));
  for (const [u, y] of serverView.masked) {
    const rest = y.slice();
    applyMask(rest, serverView.selfMaskSeeds.get(u)!, -1);
    const seed = agree(maskKeyOf5, importPublicKey(advertised.get(u)!.subarray(32)), 'mask', u, 5);
    applyMask(rest, seed, 5 > u ? -1 : 1);
    assert.ok(agreeing(rest, inputs[u]) <= 1, `client ${u}: masks with its surviving neighbours still hide x_u`);
    assert.ok(agreeing(y, inputs[u]) <= 1, `client ${u}: y_u`);
  }
});
