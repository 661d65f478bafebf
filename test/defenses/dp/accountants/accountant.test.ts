import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../../core/errors.js';
import { epsilon, PrivacyAccountant } from '../../../../defenses/dp/accountants/accountant.js';
import { deltaWarning } from '../../../../defenses/dp/validate.js';

/** An InputError whose field is `field` and whose message matches `pattern`. */
function inputError(field: string, pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.location.field, field);
    assert.match(err.message, pattern);
    return true;
  };
}

test('steps with the same noise and rate merge, as in Opacus; others start a new entry', () => {
  const acc = new PrivacyAccountant('rdp');
  for (let i = 0; i < 3; i++) acc.step({ noiseMultiplier: 1, sampleRate: 0.01 });
  acc.step({ noiseMultiplier: 2, sampleRate: 0.01, steps: 5 }).step({ noiseMultiplier: 1, sampleRate: 0.01 });
  assert.deepEqual(acc.history, [
    { noiseMultiplier: 1, sampleRate: 0.01, steps: 3 },
    { noiseMultiplier: 2, sampleRate: 0.01, steps: 5 },
    { noiseMultiplier: 1, sampleRate: 0.01, steps: 1 },
  ]);
  (acc.history[0] as { steps: number }).steps = 99;
  assert.equal(acc.history[0].steps, 3, 'history is a copy');
});

test('stepping one at a time equals composing at once, and more steps cost more', () => {
  const acc = new PrivacyAccountant();
  for (let i = 0; i < 250; i++) acc.step({ noiseMultiplier: 1.1, sampleRate: 0.02 });
  const once = epsilon({ noiseMultiplier: 1.1, sampleRate: 0.02, steps: 250, delta: 1e-5 });
  assert.equal(acc.epsilon(1e-5).epsilon, once.epsilon);
  assert.ok(epsilon({ noiseMultiplier: 1.1, sampleRate: 0.02, steps: 500, delta: 1e-5 }).epsilon > once.epsilon);
});

test('the report names the accountant, method, order and assumptions', () => {
  const r = epsilon({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250, delta: 1e-5 });
  assert.equal(r.accountant, 'rdp');
  assert.equal(r.delta, 1e-5);
  assert.match(r.method, /Balle et al\. 2020/);
  assert.deepEqual(r.details, { kind: 'rdp', order: 3.9, orderRange: [1.1, 63] });
  assert.match(r.assumptions.sampling, /Poisson/);
  assert.match(r.assumptions.adjacency, /add or remove/);
  assert.deepEqual(r.warnings, []);
});

test('before any step the epsilon is 0, not the conversion overhead of an empty RDP curve', () => {
  const r = new PrivacyAccountant('prv').epsilon(1e-5);
  assert.equal(r.epsilon, 0);
  assert.equal(r.accountant, 'prv');
  assert.equal(r.details, undefined);
  assert.match(r.warnings[0], /no steps/);
});

test('bad inputs are InputErrors that name the field and say how to fix it', () => {
  const base = { noiseMultiplier: 1, sampleRate: 0.01, steps: 10, delta: 1e-5 };
  const bad: [string, number[], RegExp][] = [
    ['sampleRate', [0, -0.1, 1.5, NaN], /sampleRate must be in \(0, 1\].*batch size \/ dataset size/],
    ['noiseMultiplier', [0, -1, Infinity], /noiseMultiplier must be .*> 0/],
    ['steps', [0, 2.5, -3], /steps must be an integer >= 1/],
    ['delta', [0, 1, -1e-5, 2], /delta must be in \(0, 1\).*1 \/ dataset size/],
  ];
  for (const [field, values, message] of bad) {
    for (const value of values) assert.throws(() => epsilon({ ...base, [field]: value }), inputError(field, message));
  }
  assert.throws(() => epsilon({ ...base, accountant: 'gdp' }), inputError('accountant', /unknown accountant 'gdp'; known: rdp, prv/));
  assert.throws(() => epsilon({ ...base, options: { orders: [3, 2] } }), inputError('options.orders', /increasing/));
  assert.throws(() => epsilon({ ...base, options: { epsErr: 0.1 } }), inputError('options', /rdp accountant/));
  assert.throws(() => new PrivacyAccountant().step({ noiseMultiplier: 1, sampleRate: 2 }), inputError('sampleRate', /got 2/));
});

test('custom RDP orders are used and reported', () => {
  const r = epsilon({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250, delta: 1e-5, options: { orders: [2, 3, 4] } });
  assert.deepEqual(r.details, { kind: 'rdp', order: 4, orderRange: [2, 4] });
  assert.match(r.warnings[0], /best RDP order 4 is the largest of the grid \[2, 4\]/);
});

test('delta >= 1/N is flagged: it allows publishing one example outright', () => {
  assert.equal(deltaWarning(1e-5, 60000), undefined);
  assert.match(deltaWarning(1e-3, 1000) ?? '', /delta 0\.001 >= 1\/N = 0\.001 for N = 1000/);
  assert.match(deltaWarning(0.1, 50) ?? '', /leaking one example/);
  assert.throws(() => deltaWarning(1e-5, 0), inputError('datasetSize', /datasetSize must be an integer >= 1, got 0/));
});
