import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { epsilon } from '../../../defenses/dp/accountants/accountant.js';
import { noiseForEpsilon } from '../../../defenses/dp/noise-search.js';

const base = { targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04 };

test("Opacus accountants_test get_noise_multiplier values (RDP), to 4 places", () => {
  // epochs = 90 there means int(90 / 0.04) = 2250 steps.
  assert.ok(Math.abs(noiseForEpsilon({ ...base, steps: 2250 }).noiseMultiplier - 1.416) < 5e-5);
  assert.ok(Math.abs(noiseForEpsilon({ ...base, steps: 2000 }).noiseMultiplier - 1.3562) < 5e-5);
});

test('Opacus accountants_test get_noise_multiplier value (PRV, 2000 steps) to 4 places', () => {
  const { noiseMultiplier, report } = noiseForEpsilon({ ...base, steps: 2000, accountant: 'prv' });
  assert.ok(Math.abs(noiseMultiplier - 1.2915) < 5e-5, String(noiseMultiplier));
  assert.equal(report.accountant, 'prv');
  assert.ok(report.epsilon <= 8 && report.epsilon >= 7.99);
});

test('the answer meets the target within the tolerance, and a little less noise would not', () => {
  for (const targetEpsilon of [0.5, 2, 8]) {
    const { noiseMultiplier, report } = noiseForEpsilon({ ...base, targetEpsilon, steps: 1000 });
    const tolerance = 0.01 * Math.min(1, targetEpsilon);
    assert.ok(report.epsilon <= targetEpsilon && report.epsilon >= targetEpsilon - tolerance, `${targetEpsilon}: ${report.epsilon}`);
    assert.equal(epsilon({ sampleRate: 0.04, noiseMultiplier, steps: 1000, delta: 1e-5 }).epsilon, report.epsilon);
    const less = epsilon({ sampleRate: 0.04, noiseMultiplier: noiseMultiplier * 0.98, steps: 1000, delta: 1e-5 }).epsilon;
    assert.ok(less > targetEpsilon - tolerance, `2% less noise spends ${less}`);
  }
  const tight = noiseForEpsilon({ ...base, steps: 1000, epsilonTolerance: 1e-6 }).report.epsilon;
  assert.ok(tight <= 8 && tight > 8 - 1e-6);
});

test('a target no noise within bounds meets is an InputError naming targetEpsilon', () => {
  // RDP with orders up to 63 cannot go below ~0.103 at delta 1e-5, whatever the noise.
  assert.throws(
    () => noiseForEpsilon({ ...base, targetEpsilon: 0.05, steps: 100 }),
    (err: unknown) => err instanceof InputError && err.location.field === 'targetEpsilon' && /no noise multiplier up to 1000000 reaches epsilon 0.05/.test(err.message),
  );
  assert.throws(() => noiseForEpsilon({ ...base, targetEpsilon: 1, steps: 100, maxNoise: 0.5 }), /no noise multiplier up to 0.5 reaches/);
  const capped = noiseForEpsilon({ ...base, targetEpsilon: 4, steps: 100, maxNoise: 1 });
  assert.ok(capped.noiseMultiplier < 1 && capped.report.epsilon <= 4 && capped.report.epsilon >= 3.99, 'a cap below the first bracket still searches');
  assert.throws(() => noiseForEpsilon({ ...base, targetEpsilon: 0, steps: 100 }), /targetEpsilon must be a finite number > 0/);
  assert.throws(() => noiseForEpsilon({ ...base, steps: 0 }), /steps must be an integer/);
  assert.throws(() => noiseForEpsilon({ ...base, steps: 10, sampleRate: 0 }), /sampleRate must be in/);
  assert.throws(() => noiseForEpsilon({ ...base, steps: 10, delta: 1 }), /delta must be in/);
});
