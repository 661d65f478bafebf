import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMembership } from '../../../attacks/membership/evaluate.js';
import { lira } from '../../../attacks/membership/lira.js';
import { lossThreshold } from '../../../attacks/membership/loss-threshold.js';
import { referenceHalves } from '../../../attacks/membership/references.js';
import { rmia } from '../../../attacks/membership/rmia.js';
import { shadow } from '../../../attacks/membership/shadow.js';
import type { MembershipAttackDefinition, ReferenceOutputs } from '../../../attacks/types.js';
import { InputError } from '../../../core/errors.js';
import type { PredictionApi, Records } from '../../../core/observations.js';
import { Rng } from '../../../core/rng.js';

/**
 * A world where leakage is per-record: record i has its own difficulty (its logit margin when
 * not trained on), and training on it adds `boost`. A global loss threshold confuses easy
 * non-members with members; attacks calibrated per record by reference models do not.
 */
function world(seed: string, boost = 3, n = 600, popN = 1200) {
  const rng = Rng.fromSeed(seed);
  const c = 2;
  const records = (m: number): Records => ({ n: m, d: 1, x: new Float32Array(m), y: new Int32Array(m) });
  const candidates = records(n);
  const population = records(popN);
  const difficulty = (m: number) => Float64Array.from({ length: m }, () => rng.normal() * 2.5);
  const candMu = difficulty(n);
  const popMu = difficulty(popN);
  const isMember = Array.from({ length: n }, (_, i) => i % 2 === 0);
  const logits = (mu: Float64Array, trained: (i: number) => boolean, noise: Rng) =>
    Float32Array.from({ length: mu.length * c }, (_, k) => (k % c === 0 ? mu[k >> 1] + (trained(k >> 1) ? boost : 0) + 0.5 * noise.normal() : 0));
  const softmax = (l: Float32Array) =>
    Float64Array.from(l, (_, k) => {
      const base = k - (k % c);
      const m = Math.max(l[base], l[base + 1]);
      return Math.exp(l[k] - m) / (Math.exp(l[base] - m) + Math.exp(l[base + 1] - m));
    });
  const targetCand = softmax(logits(candMu, (i) => isMember[i], rng.fork('t')));
  const targetPop = softmax(logits(popMu, () => false, rng.fork('tp')));
  const target: PredictionApi = { output: 'probabilities', numClasses: c, predict: (r) => (r === candidates ? targetCand : targetPop) };
  const facts = { candidates: n, population: popN, trainingSize: n / 2, numClasses: c, rng: rng.fork('refs') };
  const outputs = (request: ReturnType<typeof referenceHalves>): ReferenceOutputs => {
    const refs = request.subsets.map((s, k) => {
      const inside = new Set(s);
      const ns = rng.fork(`ref/${request.pool}/${k}`);
      return {
        cand: logits(candMu, (i) => request.pool === 'candidates' && inside.has(i), ns),
        pop: logits(popMu, (i) => request.pool === 'population' && inside.has(i), ns),
      };
    });
    return { request, numClasses: c, candidates: refs.map((r) => r.cand), population: refs.map((r) => r.pop) };
  };
  async function run(attack: MembershipAttackDefinition, opts: Record<string, unknown>) {
    const o = attack.options.parse(opts);
    const request = attack.references?.(o, facts);
    const out = await attack.score({ target, candidates, population, rng: rng.fork('a'), references: request && outputs(request) }, o);
    return { ...evaluateMembership(out.scores, { isMember }), notes: out.notes ?? [] };
  }
  return { run, facts };
}

test('reference halves: every candidate in exactly half the models, pairs shared across counts', () => {
  const { facts } = world('halves');
  const r = referenceHalves('lira', 'online', 8, facts);
  assert.equal(r.pool, 'candidates');
  assert.equal(r.subsets.length, 8);
  const count = new Uint8Array(facts.candidates);
  for (const s of r.subsets) {
    assert.equal(s.length, facts.candidates / 2);
    for (const i of s) count[i]++;
  }
  assert.ok(count.every((k) => k === 4));
  // The first two of 8 are the 2 a smaller request gets: the runner trains them once.
  const two = referenceHalves('rmia', 'online', 2, facts);
  assert.deepEqual(two.subsets, r.subsets.slice(0, 2));
  const off = referenceHalves('rmia', 'offline', 3, facts);
  assert.equal(off.pool, 'population');
  assert.equal(off.subsets[0].length, facts.population / 2);
});

test('reference halves refuse what the data cannot support, with a fix', () => {
  const { facts } = world('refuse');
  assert.throws(() => referenceHalves('lira', 'online', 3, facts), (e: unknown) => e instanceof InputError && /even number/.test(e.message));
  assert.throws(
    () => referenceHalves('lira', 'offline', 4, { ...facts, population: 100 }),
    (e: unknown) => e instanceof InputError && /raise split.population to at least 300/.test(e.message),
  );
});

test('LiRA online and offline beat the loss threshold at low FPR when difficulty varies per record', async () => {
  const w = world('lira');
  const loss = await w.run(lossThreshold as unknown as MembershipAttackDefinition, {});
  const online = await w.run(lira as unknown as MembershipAttackDefinition, { references: 16 });
  const offline = await w.run(lira as unknown as MembershipAttackDefinition, { references: 16, mode: 'offline' });
  const t = (e: typeof loss) => e.metrics['tprAt1e-2'].value;
  assert.ok(t(online) > t(loss) + 0.2, `online ${t(online)} vs loss ${t(loss)}`);
  assert.ok(t(offline) > t(loss) + 0.1, `offline ${t(offline)} vs loss ${t(loss)}`);
  assert.ok(online.metrics.auc.value > 0.9);
  assert.match(online.notes[0], /16 reference models \(online\).*global variance/);
  const perExample = await w.run(lira as unknown as MembershipAttackDefinition, { references: 16, variance: 'per-example' });
  assert.match(perExample.notes[0], /per-example variance/);
  assert.ok(perExample.metrics.auc.value > 0.85);
});

test('RMIA with 2 offline reference models is close to LiRA with 16, far above the loss threshold', async () => {
  const w = world('rmia');
  const loss = await w.run(lossThreshold as unknown as MembershipAttackDefinition, {});
  const r2 = await w.run(rmia as unknown as MembershipAttackDefinition, { references: 2 });
  const l16 = await w.run(lira as unknown as MembershipAttackDefinition, { references: 16, mode: 'offline' });
  const t = (e: typeof loss) => e.metrics['tprAt1e-2'].value;
  assert.ok(t(r2) > t(loss) + 0.1, `rmia ${t(r2)} vs loss ${t(loss)}`);
  assert.ok(t(r2) > 0.6 * t(l16), `rmia-2 ${t(r2)} vs lira-16 offline ${t(l16)}`);
  assert.match(r2.notes[0], /fitted on the reference models/);
  const r1 = await w.run(rmia as unknown as MembershipAttackDefinition, { references: 1 });
  assert.match(r1.notes[0], /a 0.3 \(default: fitting a needs 2 reference models\)/);
  const r4 = await w.run(rmia as unknown as MembershipAttackDefinition, { references: 4 });
  assert.match(r4.notes[0], /fitted on the reference models/);
  const online = await w.run(rmia as unknown as MembershipAttackDefinition, { references: 4, mode: 'online' });
  assert.ok(t(online) > t(loss) + 0.1);
});

test('with no leakage every reference attack is near chance', async () => {
  const w = world('none', 0);
  for (const [a, o] of [
    [lira, { references: 8 }],
    [rmia, { references: 4 }],
    [shadow, { references: 4 }],
  ] as const) {
    const e = await w.run(a as unknown as MembershipAttackDefinition, o);
    assert.ok(Math.abs(e.metrics.auc.value - 0.5) < 0.08, `${a.id}: AUC ${e.metrics.auc.value}`);
  }
});

test('the shadow-model attack learns the in/out difference from shadow outputs', async () => {
  const w = world('shadow', 4);
  const e = await w.run(shadow as unknown as MembershipAttackDefinition, { references: 4 });
  assert.ok(e.metrics.auc.value > 0.6, `AUC ${e.metrics.auc.value}`);
  assert.match(e.notes[0], /4 shadow models/);
});
