import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../../core/errors.js';
import { epsilon, PrivacyAccountant } from '../../../../defenses/dp/accountants/accountant.js';
import { EpsilonOutOfRangeError, type Composition, type EpsilonReport, type PrvDetails } from '../../../../defenses/dp/accountants/types.js';

const prv = (sampleRate: number, noiseMultiplier: number, steps: number, options?: unknown) =>
  epsilon({ sampleRate, noiseMultiplier, steps, delta: 1e-5, accountant: 'prv', options });

function details(r: EpsilonReport): PrvDetails {
  assert.equal(r.details?.kind, 'prv');
  return r.details as PrvDetails;
}

/** The PRV estimate is within `rel` of an independent reference, which lies in the PRV's error band. */
function agrees(r: EpsilonReport, reference: number, rel: number, what: string): void {
  const d = details(r);
  assert.ok(Math.abs(d.estimate - reference) <= rel * reference, `${what}: estimate ${d.estimate} vs ${reference}`);
  assert.ok(d.lower <= reference && reference <= d.upper, `${what}: ${reference} outside [${d.lower}, ${d.upper}]`);
}

test('Opacus accountants_test: PRV accountant, sigma 1.5, q 0.04 -> 6.777395712150674', () => {
  // Opacus's PRV test takes int(90 // 0.04) = 2249 steps (floor division of floats), where its
  // RDP test takes int(90 / 0.04) = 2250. The value is the upper end of the band, as Opacus reports.
  const r = prv(0.04, 1.5, 2249);
  assert.ok(Math.abs(r.epsilon - 6.777395712150674) < 5e-8, String(r.epsilon)); // assertAlmostEqual: 7 places
  const d = details(r);
  assert.equal(d.upper, r.epsilon);
  assert.ok(Math.abs(d.upper - d.estimate - 0.01) < 1e-3 && Math.abs(d.estimate - d.lower - 0.01) < 1e-3);
  // test/defenses/dp/fixtures/reference_epsilons.py's numerical PLD: 6.767049207433543
  agrees(r, 6.767049207433543, 1e-5, 'independent PLD');
});

test('TF Privacy compute_dp_sgd_privacy_test, PLD accountant: sigma 0.7, q 0.01, 120 steps -> 2.4612381', () => {
  const r = prv(0.01, 0.7, 120);
  agrees(r, 2.4612381, 1e-5, 'dp_accounting PLD');
  agrees(r, 2.46123805471346, 1e-5, 'our independent PLD');
});

test('q = 1 is the Gaussian mechanism: PRV matches its exact curve (Balle and Wang 2018, Theorem 8)', () => {
  // Exact epsilons from reference_epsilons.py (gaussian_epsilon, mpmath, 40 digits).
  agrees(prv(1, 1, 1), 4.37717809568122, 1e-4, 'sigma 1, 1 step');
  agrees(prv(1, 10, 100), 4.37717809568122, 1e-4, '100 steps at sigma 10 are one step at sigma 1');
  // Heterogeneous: 50 steps at sigma 4 then 20 at sigma 2 are one Gaussian with 1/s^2 = 50/16 + 20/4.
  const mixed = new PrivacyAccountant('prv').step({ noiseMultiplier: 4, sampleRate: 1, steps: 50 }).step({ noiseMultiplier: 2, sampleRate: 1, steps: 20 });
  agrees(mixed.epsilon(1e-5), 15.6108943500824, 1e-4, 'heterogeneous Gaussian');
});

test('heterogeneous subsampled compositions match the independent PLD and RDP references', () => {
  // reference_epsilons.py heterogeneous: RDP by quadrature summed over the parts; PLD by FFT of the parts' binned losses.
  const cases: [Composition[], number, number][] = [
    [
      [
        { sampleRate: 0.01, noiseMultiplier: 1, steps: 1000 },
        { sampleRate: 0.05, noiseMultiplier: 2, steps: 300 },
      ],
      2.95958279825,
      2.689003,
    ],
    [
      [
        { sampleRate: 0.001, noiseMultiplier: 0.8, steps: 5000 },
        { sampleRate: 0.02, noiseMultiplier: 1.5, steps: 200 },
        { sampleRate: 0.001, noiseMultiplier: 0.8, steps: 5000 },
      ],
      1.5815082264,
      1.1625756,
    ],
  ];
  for (const [parts, rdp, pld] of cases) {
    const run = (accountant: string) => parts.reduce((acc, c) => acc.step(c), new PrivacyAccountant(accountant)).epsilon(1e-5);
    const rdpEpsilon = run('rdp').epsilon;
    assert.ok(Math.abs(rdpEpsilon - rdp) < 1e-9 * rdp, `RDP ${rdpEpsilon} vs ${rdp}`);
    agrees(run('prv'), pld, 1e-3, `${parts.length} parts`);
  }
});

test('PRV is tighter than RDP, which is an upper bound on the same curve', () => {
  for (const [q, sigma, steps] of [
    [0.04, 1.5, 2249],
    [0.01, 0.7, 120],
    [0.1, 2, 100],
    [1, 5, 1],
  ]) {
    const tight = prv(q, sigma, steps);
    const loose = epsilon({ sampleRate: q, noiseMultiplier: sigma, steps, delta: 1e-5 });
    assert.ok(details(tight).estimate < loose.epsilon && tight.epsilon <= loose.epsilon + 0.01, `${q}/${sigma}/${steps}: ${tight.epsilon} vs RDP ${loose.epsilon}`);
  }
});

test('10^5 steps (q 1e-3, sigma 1) run on a 2^21-point grid and match the independent PLD', () => {
  const r = prv(0.001, 1, 100_000);
  agrees(r, 1.6379573, 0.02, 'reference_epsilons.py');
  assert.equal(details(r).points, 2 ** 21);
});

test('a smaller epsError narrows the band around the same estimate', () => {
  const coarse = details(prv(0.01, 0.7, 120));
  const fine = details(prv(0.01, 0.7, 120, { epsError: 0.001 }));
  assert.ok(fine.upper - fine.lower < 0.003 && coarse.upper - coarse.lower > 0.02);
  assert.ok(fine.points > coarse.points);
  assert.ok(Math.abs(fine.estimate - 2.46123805471346) < 1e-5);
});

test('the order of steps does not change a heterogeneous composition', () => {
  const a = { noiseMultiplier: 1, sampleRate: 0.01 };
  const b = { noiseMultiplier: 2, sampleRate: 0.05 };
  const ab = new PrivacyAccountant('prv').step({ ...a, steps: 300 }).step({ ...b, steps: 100 }).epsilon(1e-5).epsilon;
  const ba = new PrivacyAccountant('prv').step({ ...b, steps: 50 }).step({ ...a, steps: 300 }).step({ ...b, steps: 50 }).epsilon(1e-5).epsilon;
  assert.ok(Math.abs(ab - ba) < 1e-9, `${ab} vs ${ba}`);
});

test('beyond what its grid can hold, PRV refuses with an InputError that says to use RDP', () => {
  assert.throws(
    () => prv(0.5, 0.6, 1_000_000),
    (err: unknown) => err instanceof EpsilonOutOfRangeError && err instanceof InputError && /use the rdp accountant/.test(err.message),
  );
  assert.throws(() => prv(1, 0.02, 1), EpsilonOutOfRangeError, 'epsilon ~1250: e^t would overflow on such a grid');
  assert.throws(() => epsilon({ sampleRate: 0.01, noiseMultiplier: 1, steps: 10, delta: 1e-13, accountant: 'prv' }), /too small for a \d+-point PRV grid/);
});
