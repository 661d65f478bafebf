import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { expandMask } from '../../../defenses/secagg/prg.js';
import { randomWords, runOn, sumMod } from './fixtures.js';

test('property: without dropouts, the masked vectors minus the self masks sum to the inputs exactly mod 2^32', async () => {
  const rng = Rng.fromSeed('masks');
  const length = 37;
  // [n, t, Harary degree k or complete]
  for (const [n, t, k] of [[2, 2], [3, 2], [3, 3], [5, 3], [8, 5], [9, 4, 4], [12, 3, 2], [13, 7, 6]]) {
    const inputs = Array.from({ length: n }, () => randomWords(rng, length));
    inputs[0].fill(0xffffffff); // the top of the ring, so wrap-around is exercised
    const { serverView, sum, survivors } = await runOn(inputs, t, rng.fork(`${n}/${t}/${k}`), { k });
    assert.deepEqual(survivors, inputs.map((_, u) => u));
    const pairwiseMasked = [...serverView.masked].map(([u, y]) => {
      const minusSelf = sumMod([y, expandMask(serverView.selfMaskSeeds.get(u)!, length).map((m) => -m >>> 0)], length);
      assert.notDeepEqual(minusSelf, inputs[u], `client ${u} of n=${n}: the pairwise masks are still on`);
      return minusSelf;
    });
    assert.deepEqual(sumMod(pairwiseMasked, length), sumMod(inputs, length), `n=${n} t=${t} k=${k}`);
    assert.deepEqual(sum, sumMod(inputs, length));
    assert.equal(serverView.maskKeys.size, 0, 'no mask key is reconstructed when nobody drops');
  }
});
