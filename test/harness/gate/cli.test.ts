import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION, type Results } from '../../../core/results.js';
import type { GateOutcome } from '../../../harness/gate/evaluate.js';
import { makeResults } from '../../fixtures/results.js';
import { runCli } from '../cli-helpers.js';

// runCli passes this process's environment on: keep a CI runner's own step summary out of it.
delete process.env.GITHUB_ACTIONS;
delete process.env.GITHUB_STEP_SUMMARY;

const dir = mkdtempSync(join(tmpdir(), 'ppml-gate-cli-'));

function write(name: string, body: string | Results | object): string {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return f;
}

const RESULTS = write('results.json', makeResults());

test('default preset: the undefended baseline leaks, exit 1, failures first, JUnit and JSON written', () => {
  const junit = join(dir, 'out', 'junit.xml');
  const r = runCli(['gate', RESULTS, '--junit', junit, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const outcomes = JSON.parse(r.stdout) as GateOutcome[];
  assert.equal(outcomes.filter((o) => !o.passed && o.level === 'error').length, 2);
  const lines = r.stderr.split('\n');
  assert.match(lines[0], /^Status/);
  assert.match(lines[1], /^FAIL +baseline +membership\.lira\.tprAt1e-3 +max +0\.0568 +<= 0\.01/);
  assert.match(r.stderr, /^gate failed: 2 error-level assertions failed$/m);
  assert.match(readFileSync(junit, 'utf8'), /failures="2"/);
});

test('an assertions file that holds: exit 0, warnings allowed', () => {
  const file = write(
    'ok.yaml',
    `experiments: quick/dp-sgd
assertions:
  membership.*.tprAt0.001: [error, { max: 0.01 }]
  utility.testAccuracy: [warn, { min: 0.7 }]
`,
  );
  const r = runCli(['gate', RESULTS, '--assertions', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^WARN +DP-SGD/m);
  assert.match(r.stderr, /0 failed, 1 warning, 2 passed/);
  assert.equal(r.stdout, '');
});

test('against a baseline: a regression fails (exit 1), noise within tolerance passes (exit 0)', () => {
  const rules = write('regression.json', { extends: 'ppml:no-regression' });
  const baseline = write('baseline.json', makeResults());
  const worse = makeResults();
  worse.experiments[0].attacks[1].metrics['tprAt1e-3'].value += 0.02;
  const r = runCli(['gate', write('worse.json', worse), '--assertions', rules, '--baseline', baseline]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^FAIL +baseline +membership\.lira\.tprAt1e-3 +maxIncrease +\+0\.02 +<= 0\.005 +.*went from 0\.0568 in the baseline to 0\.0768/m);
  const noisy = makeResults();
  noisy.experiments[0].attacks[1].metrics['tprAt1e-3'].value += 0.004;
  const ok = runCli(['gate', write('noisy.json', noisy), '--assertions', rules, '--baseline', baseline]);
  assert.equal(ok.code, 0, ok.stderr);
});

test('bad input exits 2 with one clear message', () => {
  const cases: [string[], RegExp][] = [
    [['--assertions', write('typo.json', { assertions: { 'membership.lira.tprAt0.01x': ['error', { max: 0.1 }] } })], /did you mean membership\.lira\.tprAt1e-2/],
    [
      ['--baseline', write('other-suite.json', makeResults({ suite: { name: 'standard' } })), '--assertions', write('inc.json', { extends: 'ppml:no-regression' })],
      /baseline is a run of suite 'standard'/,
    ],
    [['--baseline', write('v0.json', { ...makeResults(), schemaVersion: 0 })], new RegExp(`v0\\.json schemaVersion: schemaVersion 0 is not ${SCHEMA_VERSION}`)],
    [['--assertions', join(dir, 'absent.yaml')], /absent\.yaml: assertions file not found/],
    [['--assertions', write('needs-baseline.json', { extends: 'ppml:no-regression' })], /give one \(gate --baseline\)/],
  ];
  for (const [args, pattern] of cases) {
    const r = runCli(['gate', RESULTS, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').filter((l) => l.startsWith('error')).length, 1);
  }
  assert.equal(runCli(['gate']).code, 2, 'missing argument is a usage error');
  assert.equal(runCli(['gate', join(dir, 'absent.json')]).code, 2);
});

test('in GitHub Actions: annotations (on stderr beside --json) and a step summary', () => {
  const summary = write('summary.md', '');
  process.env.GITHUB_ACTIONS = 'true';
  process.env.GITHUB_STEP_SUMMARY = summary;
  try {
    const plain = runCli(['gate', RESULTS]);
    assert.equal(plain.code, 1);
    assert.equal(plain.stdout.split('\n').filter((l) => l.startsWith('::error title=')).length, 2);
    const json = runCli(['gate', RESULTS, '--json']);
    assert.equal(JSON.parse(json.stdout).length, 12, 'stdout stays JSON');
    assert.match(json.stderr, /^::warning title=ppml-audit gate%3A baseline membership\.lira\.tprAt1e-2 max::/m);
  } finally {
    delete process.env.GITHUB_ACTIONS;
    delete process.env.GITHUB_STEP_SUMMARY;
  }
  const md = readFileSync(summary, 'utf8');
  assert.equal(md.match(/^## ppml-audit gate: quick: failed$/gm)?.length, 2, 'appended once per run');
});
