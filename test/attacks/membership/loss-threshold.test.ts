import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossThreshold } from '../../../attacks/membership/loss-threshold.js';
import type { PredictionApi, Records } from '../../../core/observations.js';
import { Rng } from '../../../core/rng.js';

test('scores equal log p(true label) from a fake PredictionApi', async () => {
  const numClasses = 3;
  // One row per record; row sums to 1.
  const proba = new Float32Array([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.25, 0.25, 0.5, 0.0, 1.0, 0.0]);
  const candidates: Records = { n: 4, d: 2, x: new Float32Array(8), y: new Int32Array([0, 1, 2, 0]) };
  let calls = 0;
  const target: PredictionApi = {
    output: 'probabilities',
    numClasses,
    predict(records) {
      calls++;
      assert.equal(records, candidates);
      return proba;
    },
  };
  const ctx = { target, candidates, population: candidates, rng: Rng.fromSeed('lt') };
  const scores = await lossThreshold.score(ctx, lossThreshold.options.parse({}));
  assert.equal(calls, 1);
  assert.ok(scores instanceof Float64Array);
  assert.equal(scores.length, 4);
  const expected = [proba[0], proba[4], proba[8]].map((p) => Math.log(p));
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(scores[i] - expected[i]) < 1e-12, `${scores[i]} vs ${expected[i]}`);
  // p = 0 is clamped to 1e-12 rather than -Infinity.
  assert.ok(Math.abs(scores[3] - Math.log(1e-12)) < 1e-9);
  assert.ok(Number.isFinite(scores[3]));
  // Higher probability on the true label -> higher (member-like) score.
  assert.ok(scores[1] > scores[0] && scores[0] > scores[2]);
});

test('declares a probabilities black-box attack with strict empty options', () => {
  assert.equal(lossThreshold.id, 'loss-threshold');
  assert.equal(lossThreshold.family, 'membership');
  assert.equal(lossThreshold.requiredOutput, 'probabilities');
  assert.deepEqual(lossThreshold.requiredObservations, ['queryApi']);
  assert.throws(() => lossThreshold.options.parse({ bogus: 1 }));
});
