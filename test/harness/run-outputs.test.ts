import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsSchema, type Results } from '../../core/results.js';
import { findChromium } from '../../harness/chromium.js';
import { fileWriter, runCli, TINY } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-run-outputs-'));

const write = fileWriter(dir);

const load = (out: string): Results => resultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));

test("a suite's failing error-level gate: every output written, gates stored, exit 1", () => {
  const gates = `gates:
  assertions:
    membership.*.auc: [error, { max: 0.55 }]
    scores.privacy: [warn, { min: 0 }]
`;
  const out = join(dir, 'failing');
  const r = runCli(['run', write('failing.yaml', TINY + gates), '--out', out, '--workers', '2']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /gate failed: 2 error-level assertions failed/);
  assert.match(r.stderr, /^FAIL +overfit-mlp/m, 'the outcome table is logged');
  const results = load(out);
  assert.deepEqual(
    results.gates?.map((g) => [g.metric, g.passed]),
    [
      ['membership.loss-threshold.auc', false],
      ['scores.privacy', true],
      ['membership.loss-threshold.auc', false],
      ['scores.privacy', true],
    ],
  );
  for (const e of results.experiments) assert.ok(e.scores && e.scores.privacy.value !== null, `${e.id} scored`);
  assert.equal(results.experiments[1].scores?.utility.inputs.baseline, results.experiments[0].id, 'weight decay 0 is the baseline');
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<testsuites name="ppml-audit gate" tests="4" failures="2"/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /Gates: 2 failed, 0 warnings, 2 passed\./);
  assert.match(html, /<tr class="fail"><td>FAIL<\/td>/);
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\*\*Gates: 2 failed, 0 warnings, 2 passed\.\*\*/);
});

test('redact: true in the suite, --redact on run and on report: no record id or label anywhere', () => {
  const out = join(dir, 'redacted');
  const r = runCli(['run', write('redacted.yaml', `${TINY}redact: true\n`), '--out', out, '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  const redacted = load(out);
  assert.equal(redacted.redacted, true);
  assert.ok(redacted.experiments.every((e) => e.attacks.every((a) => a.vulnerable.length === 0)));
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /Redacted: record ids and labels are left out/);
  assert.ok(!existsSync(join(out, 'junit.xml')), 'no gates, no junit.xml');

  const plainOut = join(dir, 'plain');
  assert.equal(runCli(['run', write('plain.yaml', TINY), '--out', plainOut, '--workers', '2']).code, 0);
  assert.ok(load(plainOut).experiments.some((e) => e.attacks.some((a) => a.vulnerable.length > 0)));
  assert.match(readFileSync(join(plainOut, 'report.html'), 'utf8'), /<tr class="vulnerable">/);
  const html = join(dir, 'redacted-report.html');
  assert.equal(runCli(['report', join(plainOut, 'results.json'), '--redact', '--out', html]).code, 0);
  const text = readFileSync(html, 'utf8');
  assert.ok(!text.includes('<tr class="vulnerable">'), 'no flagged record in the tables');
  assert.ok(!text.includes('"vulnerable":[{'), 'nor in the embedded results');
  assert.match(text, /Withheld: this report is redacted\./);

  const flagged = join(dir, 'flagged');
  assert.equal(runCli(['run', write('flagged.yaml', TINY), '--out', flagged, '--workers', '2', '--redact']).code, 0);
  assert.equal(load(flagged).redacted, true);
});

test('bad suite gates are refused before anything trains, pointing into the suite', () => {
  const out = join(dir, 'bad-gates');
  const r = runCli(['run', write('bad-gates.yaml', `${TINY}gates:\n  assertions:\n    utility.testAccuracy: [fatal, { min: 0.5 }]\n`), '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad-gates\.yaml:\d+:\d+ gates\.assertions\.utility\.testAccuracy\[0\]/);
  assert.ok(!existsSync(out));
});

test('report --pdf: a PDF through the local Chromium, or exit 2 saying how to get one', () => {
  const results = join(dir, 'plain', 'results.json');
  const html = join(dir, 'pdf', 'report.html');
  const missing = runCli(['report', results, '--out', html, '--pdf'], undefined, { CHROMIUM_PATH: join(dir, 'no-chromium') });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /^error: --pdf: no Chromium found at .*no-chromium to print with; install one .* or set CHROMIUM_PATH/m);
  assert.ok(existsSync(html), 'the HTML report is written first');
  if (!findChromium()) return;
  const pdf = join(dir, 'pdf', 'audit.pdf');
  const r = runCli(['report', results, '--out', html, '--pdf', pdf]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
});
