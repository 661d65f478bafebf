import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { epsilon } from '../../../defenses/dp/accountants/accountant.js';
import { dpConfigSchema } from '../../../defenses/dp/config.js';
import { dpFedAvgConfigSchema, resolveDpFedAvg, type Federation } from '../../../defenses/dp/dp-fedavg-config.js';

const parse = (block: Record<string, unknown>) => dpFedAvgConfigSchema.parse(block);
const federation: Federation = { clients: 200, rounds: 40, sampling: { rate: 0.05 } };
const inputError = (field: string, message: RegExp) => (e: unknown) => e instanceof InputError && e.location.field === field && message.test(e.message);

test('central: user-level epsilon is the accountant composing the rounds at the client sampling rate', () => {
  for (const accountant of ['rdp', 'prv'] as const) {
    const r = resolveDpFedAvg(parse({ noiseMultiplier: 1.1, accountant, clip: 0.5 }), federation)!;
    const expected = epsilon({ sampleRate: 0.05, noiseMultiplier: 1.1, steps: 40, delta: 1e-5, accountant });
    assert.equal(r.report.epsilon, expected.epsilon, accountant);
    assert.deepEqual(r.mechanism, { mode: 'central', noiseMultiplier: 1.1, clip: 0.5, sampleRate: 0.05, clients: 200, steps: 40 });
    assert.match(r.report.assumptions.adjacency, /add or remove one client with all of its data \(user-level\)/);
    assert.match(r.report.assumptions.sampling, /^Poisson sampling of clients/);
    assert.match(r.report.assumptions.sensitivity, /clipped to L2 norm S and summed with weight 1/);
  }
  // A fixed clientsPerRound is analysed at q = k/N, and the report says it is an approximation.
  const fixed = resolveDpFedAvg(parse({ noiseMultiplier: 1.1, accountant: 'rdp' }), { ...federation, sampling: { count: 10 } })!;
  assert.equal(fixed.mechanism.sampleRate, 0.05);
  assert.equal(fixed.report.epsilon, epsilon({ sampleRate: 0.05, noiseMultiplier: 1.1, steps: 40, delta: 1e-5, accountant: 'rdp' }).epsilon);
  assert.match(fixed.report.assumptions.sampling, /clientsPerRound 10 drawn without replacement, analysed as Poisson sampling of clients at q = k\/N = 10\/200: an approximation/);
});

test('a target epsilon: the searched noise meets it, central and local', () => {
  const central = resolveDpFedAvg(parse({ epsilon: 2 }), federation)!;
  assert.ok(central.report.epsilon <= 2 && central.report.epsilon > 1.98, `${central.report.epsilon}`);
  assert.equal(central.report.accountant, 'prv');
  const again = resolveDpFedAvg(parse({ noiseMultiplier: central.mechanism.noiseMultiplier }), federation)!;
  assert.equal(again.report.epsilon, central.report.epsilon);
  const local = resolveDpFedAvg(parse({ epsilon: 8, mode: 'local', accountant: 'rdp' }), federation)!;
  assert.ok(local.report.epsilon <= 8 && local.report.epsilon > 7.92, `${local.report.epsilon}`);
  assert.ok(local.mechanism.noiseMultiplier > 5 * central.mechanism.noiseMultiplier, 'local DP at 4x the epsilon still needs far more noise per update');
});

test('local: each client is the Gaussian mechanism at sensitivity 2S over every round, without amplification', () => {
  const r = resolveDpFedAvg(parse({ noiseMultiplier: 6, mode: 'local', accountant: 'rdp' }), federation)!;
  assert.equal(r.mechanism.mode, 'local');
  assert.equal(r.mechanism.noiseMultiplier, 6);
  assert.equal(r.report.epsilon, epsilon({ sampleRate: 1, noiseMultiplier: 3, steps: 40, delta: 1e-5, accountant: 'rdp' }).epsilon);
  assert.match(r.report.assumptions.sampling, /^none: each of the 40 rounds counts/);
  assert.match(r.report.assumptions.adjacency, /local DP, user-level/);
  assert.match(r.report.assumptions.sensitivity, /at most 2S, so the accountant is given sigma \/ 2 = 3/);
});

test('DP off, delta against 1/N clients, and every refusal at its field', () => {
  assert.equal(resolveDpFedAvg(parse({ epsilon: Infinity }), federation), undefined, 'epsilon .inf is DP off');
  const loose = resolveDpFedAvg(parse({ noiseMultiplier: 1, delta: 1e-2, accountant: 'rdp' }), federation)!;
  assert.match(loose.report.warnings.join(' '), /delta 0.01 >= 1\/N = 0.005 for N = 200/);
  assert.deepEqual(resolveDpFedAvg(parse({ noiseMultiplier: 1, accountant: 'rdp' }), federation)!.report.warnings, []);

  const block = parse({ noiseMultiplier: 1, accountant: 'rdp' });
  assert.throws(() => resolveDpFedAvg(block, { ...federation, sampling: { count: 201 } }), inputError('federated.clientsPerRound', /in \[1, clients = 200\], got 201/));
  assert.throws(() => resolveDpFedAvg(block, { ...federation, sampling: { rate: 0 } }), inputError('federated.sampleRate', /in \(0, 1\]/));
  assert.throws(() => resolveDpFedAvg(block, { ...federation, rounds: 0 }), inputError('federated.rounds', /integer >= 1/));
  assert.throws(() => resolveDpFedAvg(block, { ...federation, clients: 0 }), inputError('federated.clients', /integer >= 1/));
  assert.throws(() => resolveDpFedAvg(parse({ epsilon: 0.01, mode: 'local', accountant: 'rdp' }), { ...federation, rounds: 1000 }), inputError('dp.epsilon', /no noise multiplier up to/));

  assert.equal(parse({ epsilon: 1 }).mode, 'central');
  assert.deepEqual(parse({ noiseMultiplier: 1 }), { noiseMultiplier: 1, mode: 'central', clip: 1, delta: 1e-5, accountant: 'prv', noise: 'seeded' });
  assert.throws(() => parse({ epsilon: 2, noiseMultiplier: 1 }), /exactly one of epsilon/);
  assert.throws(() => parse({ epsilon: 2, mode: 'distributed' }));
  assert.throws(() => parse({ epsilon: 2, clip: 0 }));
  assert.throws(() => parse({ epsilon: 2, clipping: 1 }), /unrecognized key/i);
  assert.throws(() => dpConfigSchema.parse({ epsilon: 2, mode: 'local' }), /unrecognized key/i, "DP-SGD's block has no mode");
});
