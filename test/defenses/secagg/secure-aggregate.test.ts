import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { secureAggregate } from '../../../defenses/secagg/secure-aggregate.js';
import type { SecAggOptions } from '../../../defenses/secagg/options.js';

const n = 10;
const length = 300;
const clip = 0.5;
const rng = Rng.fromSeed('e2e-updates');
// Within [-clip, clip], so clipping changes nothing and the only error is quantization.
const updates = Array.from({ length: n }, () => Float32Array.from({ length }, () => (rng.uniform() - 0.5) * 2 * clip));

/**
 * The bound derived in quantize.ts, written out: bits = maxBits(10) = 28, a level is
 * 2 clip / (2^28 - 1); each client's rounding is off by less than one level (stochastic) or at
 * most half a level (nearest), and the float32 result adds at most count * clip * 2^-23.
 */
const bound = (count: number, levelsOff: number) => (levelsOff * count * 2 * clip) / (2 ** 28 - 1) + count * clip * 2 ** -23;

async function assertSumOfSurvivors(options: SecAggOptions, expectedSurvivors: number[]): Promise<Float32Array> {
  const result = await secureAggregate(updates, { clip, ...options }, Rng.fromSeed('e2e'));
  assert.deepEqual(result.survivors, expectedSurvivors);
  assert.equal(result.plan.quantizer.bits, 28);
  assert.equal(result.errorBound, bound(expectedSurvivors.length, options.rounding === 'deterministic' ? 0.5 : 1));
  for (let i = 0; i < length; i++) {
    const plain = expectedSurvivors.reduce((s, u) => s + updates[u][i], 0);
    assert.ok(Math.abs(result.sum[i] - plain) <= result.errorBound, `coordinate ${i}: ${result.sum[i]} vs ${plain}`);
  }
  return result.sum;
}

const everyone = Array.from({ length: n }, (_, u) => u);
const without = (...dropped: number[]) => everyone.filter((u) => !dropped.includes(u));

test('the aggregate equals the plain sum within the quantization bound, without dropouts', async () => {
  await assertSumOfSurvivors({}, everyone);
  await assertSumOfSurvivors({ rounding: 'deterministic' }, everyone);
});

test('dropouts at each stage: before masked input they leave the sum, after it they stay in', async () => {
  await assertSumOfSurvivors({ dropout: { advertiseKeys: [1, 4] } }, without(1, 4));
  await assertSumOfSurvivors({ dropout: { shareKeys: [1, 4] } }, without(1, 4));
  await assertSumOfSurvivors({ dropout: { maskedInputCollection: [1, 4] } }, without(1, 4));
  // n - t = 4 clients may vanish after sending y_u: their b_u is rebuilt from the others' shares.
  await assertSumOfSurvivors({ dropout: { unmasking: [0, 1, 4, 9] } }, everyone);
  await assertSumOfSurvivors({ dropout: { advertiseKeys: [0], shareKeys: [1], maskedInputCollection: [2], unmasking: [3] } }, without(0, 1, 2));
});

test('SecAgg+ gives the same sum as the complete graph, with and without dropouts', async () => {
  const complete = await assertSumOfSurvivors({}, everyone);
  assert.deepEqual(await assertSumOfSurvivors({ graph: 'secagg+', neighbours: 4 }, everyone), complete);
  const dropout = { shareKeys: [2], maskedInputCollection: [6], unmasking: [8] };
  assert.deepEqual(
    await assertSumOfSurvivors({ graph: 'secagg+', neighbours: 6, threshold: 3, dropout }, without(2, 6)),
    await assertSumOfSurvivors({ dropout }, without(2, 6)),
  );
});

test('aborts with an InputError when fewer than t holders survive, at the stage it happens', async () => {
  const aborts = (options: SecAggOptions, round: string) =>
    assert.rejects(secureAggregate(updates, options, Rng.fromSeed('abort')), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.location.field, 'dropout');
      assert.match(err.message, new RegExp(`aborted in ${round}: .* fewer than the threshold 6; allow fewer dropouts or lower the threshold`));
      return true;
    });
  // t = 6 of 10 holders: 5 dropouts leave 5.
  await aborts({ dropout: { advertiseKeys: [0, 1, 2, 3, 4] } }, 'advertiseKeys');
  await aborts({ dropout: { shareKeys: [0, 1, 2, 3, 4] } }, 'shareKeys');
  await aborts({ dropout: { maskedInputCollection: [0, 1, 2, 3, 4] } }, 'maskedInputCollection');
  await aborts({ dropout: { unmasking: [5, 6, 7, 8, 9] } }, 'unmasking');
  await assert.rejects(secureAggregate(updates, { dropout: { probability: 1 } }, Rng.fromSeed('abort')), /aborted in advertiseKeys: 0 clients remain/);
  // SecAgg+: t counts a client's own neighbourhood. With all 5 holders needed, one dropout
  // stops its 4 neighbours; the complete graph has 10 holders per client and carries on.
  const one = { threshold: 5, dropout: { shareKeys: [3] } };
  await assert.rejects(secureAggregate(updates, { graph: 'secagg+', neighbours: 4, ...one }, Rng.fromSeed('abort')), /aborted in shareKeys: client \d+ has 4 of/);
  await assertSumOfSurvivors(one, without(3));
});

test('random dropout is reproducible from the seed and the sum covers exactly the survivors', async () => {
  const run = () => secureAggregate(updates, { dropout: { probability: 0.08 } }, Rng.fromSeed('random-dropout'));
  const [a, b] = [await run(), await run()];
  assert.deepEqual(a.survivors, b.survivors);
  assert.deepEqual(a.sum, b.sum);
  assert.ok(a.survivors.length < n, `some client dropped (survivors ${a.survivors})`);
  for (let i = 0; i < length; i++) {
    const plain = a.survivors.reduce((s, u) => s + updates[u][i], 0);
    assert.ok(Math.abs(a.sum[i] - plain) <= a.errorBound);
  }
});
