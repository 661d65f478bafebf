import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './cli-helpers.js';

const OPACUS = ['--sample-rate', '0.04', '--steps', '2250', '--delta', '1e-5'];

test('dp epsilon prints epsilon, the best RDP order and the assumptions', () => {
  const r = runCli(['dp', 'epsilon', ...OPACUS, '--noise-multiplier', '1.5']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^epsilon 7\.32911 at delta 0\.00001 \(rdp accountant, best order 3\.9\)/);
  assert.match(r.stdout, /Balle et al\. 2020/);
  assert.match(r.stdout, /sampling: Poisson/);
  assert.equal(r.stderr, '');
});

test('dp epsilon --accountant prv --json gives the PRV report as JSON', () => {
  const r = runCli(['dp', 'epsilon', '--sample-rate', '0.04', '--steps', '2249', '--delta', '1e-5', '--noise-multiplier', '1.5', '--accountant', 'prv', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.accountant, 'prv');
  assert.ok(Math.abs(report.epsilon - 6.777395712150674) < 5e-8, String(report.epsilon));
  assert.equal(report.details.kind, 'prv');
  assert.ok(report.details.lower < report.details.estimate && report.details.estimate < report.details.upper);
});

test('warnings go to stderr: best order at the grid edge, delta >= 1/N', () => {
  const r = runCli(['dp', 'epsilon', '--sample-rate', '0.001', '--steps', '1', '--delta', '0.01', '--noise-multiplier', '10', '--dataset-size', '100']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: the best RDP order 63 is the largest of the grid/);
  assert.match(r.stderr, /warning: delta 0\.01 >= 1\/N = 0\.01 for N = 100/);
  const json = JSON.parse(runCli(['dp', 'epsilon', '--sample-rate', '0.001', '--steps', '1', '--delta', '0.01', '--noise-multiplier', '10', '--dataset-size', '100', '--json']).stdout);
  assert.equal(json.warnings.length, 2);
});

test('dp noise finds the noise multiplier for a target epsilon', () => {
  const r = runCli(['dp', 'noise', '--target-epsilon', '8', '--sample-rate', '0.04', '--steps', '2000', '--delta', '1e-5', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(Math.abs(out.noiseMultiplier - 1.3562) < 5e-5, String(out.noiseMultiplier));
  assert.ok(out.epsilon <= 8 && out.epsilon > 7.99);
  const text = runCli(['dp', 'noise', '--target-epsilon', '8', '--sample-rate', '0.04', '--steps', '2000', '--delta', '1e-5']);
  assert.match(text.stdout, /^noise multiplier 1\.3562 gives epsilon 7\.99938 <= 8 at delta 0\.00001/);
});

test('bad values exit 2 with the flag named', () => {
  const cases: [string[], RegExp][] = [
    [['dp', 'epsilon', ...OPACUS, '--noise-multiplier', '0'], /error: --noise-multiplier: noiseMultiplier must be a finite number > 0/],
    [['dp', 'epsilon', '--sample-rate', '1.5', '--steps', '10', '--delta', '1e-5', '--noise-multiplier', '1'], /error: --sample-rate: sampleRate must be in \(0, 1\]/],
    [['dp', 'epsilon', '--sample-rate', '0.1', '--steps', '10', '--delta', '1', '--noise-multiplier', '1'], /error: --delta: delta must be in \(0, 1\)/],
    [['dp', 'epsilon', '--sample-rate', '0.1', '--steps', '2.5', '--delta', '1e-5', '--noise-multiplier', '1'], /error: --steps: steps must be an integer >= 1/],
    [['dp', 'epsilon', '--sample-rate', 'abc', '--steps', '10', '--delta', '1e-5', '--noise-multiplier', '1'], /--sample-rate expects a number, got 'abc'/],
    [['dp', 'epsilon', '--steps', '10', '--delta', '1e-5', '--noise-multiplier', '1'], /required option '--sample-rate <q>' not specified/],
    [['dp', 'epsilon', ...OPACUS, '--noise-multiplier', '1', '--accountant', 'gdp'], /Allowed choices are rdp, prv/],
    [['dp', 'epsilon', ...OPACUS, '--noise-multiplier', '1', '--dataset-size', '0'], /error: --dataset-size: datasetSize must be an integer >= 1/],
    [['dp', 'noise', '--target-epsilon', '0.01', ...OPACUS], /error: --target-epsilon: no noise multiplier up to 1000000 reaches epsilon 0\.01/],
    [['dp', 'epsilon', '--sample-rate', '0.5', '--steps', '1000000', '--delta', '1e-5', '--noise-multiplier', '0.6', '--accountant', 'prv'], /error: --accountant: PRV accounting needs \d+ grid points reaching/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
