import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidence } from '../../../attacks/membership/confidence.js';
import { entropy } from '../../../attacks/membership/entropy.js';
import { gap } from '../../../attacks/membership/gap.js';
import { lossThreshold } from '../../../attacks/membership/loss-threshold.js';
import { modifiedEntropy } from '../../../attacks/membership/modified-entropy.js';
import { population } from '../../../attacks/membership/population.js';
import type { PredictionApi, Records } from '../../../core/observations.js';
import { Rng } from '../../../core/rng.js';

const C = 3;
// One row per record; each row sums to 1.
const PROBA = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.25, 0.25, 0.5, 0, 1, 0]);
const records: Records = { n: 4, d: 2, x: new Float32Array(8), y: new Int32Array([0, 1, 2, 0]) };

function fakeApi(proba: Float64Array, output: PredictionApi['output'] = 'probabilities'): PredictionApi & { calls: number } {
  return {
    output,
    numClasses: C,
    calls: 0,
    predict(r) {
      this.calls++;
      assert.equal(r.n * C, proba.length);
      return proba;
    },
  };
}

const ctx = (target: PredictionApi) => ({ target, candidates: records, population: records, rng: Rng.fromSeed('t') });

test('loss threshold scores log p(true label), clamped for p = 0, on candidates and population', async () => {
  const api = fakeApi(PROBA);
  const { scores, populationScores } = await lossThreshold.score(ctx(api), {});
  assert.equal(api.calls, 2);
  const expected = [Math.log(0.7), Math.log(0.8), Math.log(0.5)];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(scores[i] - expected[i]) < 1e-12);
  assert.ok(Number.isFinite(scores[3]) && scores[3] < -600);
  assert.deepEqual(Array.from(populationScores!), Array.from(scores));
});

test('confidence and entropy need no label; modified entropy does (Song & Mittal eq. 4)', async () => {
  const conf = (await confidence.score(ctx(fakeApi(PROBA)), {})).scores;
  assert.deepEqual(Array.from(conf), [0.7, 0.8, 0.5, 1]);
  const ent = (await entropy.score(ctx(fakeApi(PROBA)), {})).scores;
  const h = (p: number[]) => -p.filter((v) => v > 0).reduce((s, v) => s + v * Math.log(v), 0);
  assert.ok(Math.abs(ent[0] + h([0.7, 0.2, 0.1])) < 1e-12);
  assert.ok(ent[3] === 0, 'a one-hot output has zero entropy');
  const me = (await modifiedEntropy.score(ctx(fakeApi(PROBA)), {})).scores;
  const mentr0 = -(0.3 * Math.log(0.7)) - 0.2 * Math.log(0.8) - 0.1 * Math.log(0.9);
  assert.ok(Math.abs(me[0] + mentr0) < 1e-12);
  // Record 3 is confidently wrong (p = 1 on class 1, label 0): the lowest score of all.
  assert.ok(me[3] < Math.min(me[0], me[1], me[2]));
  // ...whereas entropy, blind to the label, calls it the most member-like.
  assert.ok(ent[3] > Math.max(ent[0], ent[1], ent[2]));
});

test('gap attack: 1 when the predicted label is right; runs on a label-only api', async () => {
  const onehot = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]);
  const { scores } = await gap.score(ctx(fakeApi(onehot, 'labels')), {});
  assert.deepEqual(Array.from(scores), [1, 1, 1, 0]);
  assert.equal(gap.requiredOutput, 'labels');
  assert.equal(lossThreshold.requiredOutput, 'probabilities');
});

test('population attack: per-class p-values from population losses, ties broken by the loss', async () => {
  // Population: class 0 has losses spread widely, class 1 tightly; candidates equal in loss.
  const rng = Rng.fromSeed('pop');
  const n = 400;
  const pop: Records = { n, d: 1, x: new Float32Array(n), y: Int32Array.from({ length: n }, (_, i) => i % 2) };
  const popProba = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const p = pop.y[i] === 0 ? 0.3 + 0.6 * rng.uniform() : 0.95 + 0.04 * rng.uniform();
    popProba[i * 2 + pop.y[i]] = p;
    popProba[i * 2 + 1 - pop.y[i]] = 1 - p;
  }
  // Two candidates with p_y = 0.94: typical for class 1's population? No: below all of it. For class 0: above all.
  const cand: Records = { n: 2, d: 1, x: new Float32Array(2), y: Int32Array.from([0, 1]) };
  const candProba = Float64Array.from([0.94, 0.06, 0.06, 0.94]);
  const target: PredictionApi = { output: 'probabilities', numClasses: 2, predict: (r) => (r === pop ? popProba : candProba) };
  const out = await population.score({ target, candidates: cand, population: pop, rng }, population.options.parse({}));
  assert.ok(out.scores[0] > out.scores[1], 'the same loss is rarer (more member-like) in the class where losses are high');
  assert.equal(out.populationScores!.length, n);
  // A global threshold (minPerClass above the class sizes) cannot tell them apart except by loss: equal.
  const global = await population.score({ target, candidates: cand, population: pop, rng }, population.options.parse({ minPerClass: 1000 }));
  assert.equal(global.scores[0], global.scores[1]);
});

test('threshold attacks declare a black-box threat model and strict options', () => {
  for (const a of [lossThreshold, confidence, entropy, modifiedEntropy, gap, population]) {
    assert.equal(a.family, 'membership');
    assert.deepEqual(a.requiredObservations, ['queryApi']);
    assert.ok(a.threatModel.length > 20);
    assert.throws(() => a.options.parse({ bogus: 1 }));
    assert.equal(a.references, undefined);
  }
});
