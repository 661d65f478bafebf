import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotations, escapeData, escapeProperty, reportToGitHub, stepSummary } from '../../../harness/gate/github.js';
import { makeOutcome } from '../../fixtures/gates.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-github-'));

test('workflow-command escaping: % CR LF in data; also : and , in properties', () => {
  assert.equal(escapeData('100% a\r\nb: c, d'), '100%25 a%0D%0Ab: c, d');
  assert.equal(escapeProperty('100% a\r\nb: c, d'), '100%25 a%0D%0Ab%3A c%2C d');
  assert.equal(escapeData('%0A'), '%250A', 'an already-escaped-looking text stays literal');
});

test('one annotation per failed check: ::error for error level, ::warning for warn level, none for passes', () => {
  const lines = annotations([
    makeOutcome({ experimentName: 'DP-SGD (\u03b5 = 8), run: 1', message: '50% worse\nsee report' }),
    makeOutcome({ level: 'warn', metric: 'membership.lira.auc' }),
    makeOutcome({ passed: true }),
  ]);
  assert.deepEqual(lines, [
    '::error title=ppml-audit gate%3A DP-SGD (\u03b5 = 8)%2C run%3A 1 membership.lira.tprAt1e-3 max::50%25 worse%0Asee report',
    '::warning title=ppml-audit gate%3A baseline membership.lira.auc max::membership.lira.tprAt1e-3 is 0.0568, above the max of 0.01',
  ]);
  for (const l of lines) assert.ok(!/[\r\n]/.test(l), 'one line each');
});

test('the step summary is a Markdown table, failures first, user text kept inside its cell', () => {
  const md = stepSummary('ppml-audit gate: quick', [makeOutcome({ passed: true, experimentName: 'a|b\n<i>' }), makeOutcome({})]);
  const lines = md.split('\n');
  assert.equal(lines[0], '## ppml-audit gate: quick: failed');
  assert.equal(lines[2], '1 failed, 0 warnings, 1 passed');
  const rows = lines.filter((l) => l.startsWith('| '));
  assert.equal(rows.length, 4);
  assert.match(rows[2], /^\| FAIL \| baseline \|/);
  assert.ok(rows[3].startsWith('| pass | a\\|b &lt;i> |'));
  const columns = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  assert.ok(rows.every((r) => columns(r) === columns(rows[0])));
  assert.match(stepSummary('t', []), /passed\n\n0 failed, 0 warnings, 0 passed\n\nNo assertion applied/);
});

test('in GitHub Actions: annotations written and the summary appended; elsewhere nothing', async () => {
  const summary = join(dir, 'step-summary.md');
  writeFileSync(summary, '# earlier step\n');
  const written: string[] = [];
  const outcomes = [makeOutcome({}), makeOutcome({ passed: true })];
  await reportToGitHub(outcomes, 'gate', { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, (t) => written.push(t));
  assert.equal(written.join(''), `${annotations(outcomes)[0]}\n`);
  assert.equal(readFileSync(summary, 'utf8'), `# earlier step\n${stepSummary('gate', outcomes)}`);
  written.length = 0;
  await reportToGitHub(outcomes, 'gate', { CI: 'true', GITHUB_STEP_SUMMARY: summary }, (t) => written.push(t));
  assert.deepEqual(written, []);
  assert.equal(readFileSync(summary, 'utf8'), `# earlier step\n${stepSummary('gate', outcomes)}`, 'not appended outside Actions');
});
