import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateFailed, InputError } from '../../../core/errors.js';
import { applySuiteGates, assertGatesPassed, type GateIo } from '../../../harness/gate/apply.js';
import { makeResults } from '../../fixtures/results.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-apply-'));

function io(env: NodeJS.ProcessEnv = {}) {
  const log: string[] = [];
  const annotate: string[] = [];
  const sink: GateIo = { env, log: (t) => log.push(t), annotate: (t) => annotate.push(t) };
  return { sink, log, annotate };
}

test("a suite's gates: outcomes returned, table logged, junit.xml in the output folder", async () => {
  const out = join(dir, 'quick');
  const { sink, log, annotate } = io();
  const gates = { extends: 'ppml:recommended', assertions: { 'membership.*.auc': 'off' } };
  const outcomes = await applySuiteGates(makeResults(), gates, out, sink);
  assert.equal(outcomes.length, 8, 'two TPR assertions x two attacks x two experiments');
  assert.match(log.join(''), /^Status +Experiment +Metric/);
  assert.match(log.join(''), /2 failed, 1 warning, 5 passed\n$/);
  assert.deepEqual(annotate, [], 'no annotations outside GitHub Actions');
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<testsuites name="ppml-audit gate" tests="8" failures="2"/);
  assert.throws(() => assertGatesPassed(outcomes), (e: unknown) => e instanceof GateFailed && e.failures === 2);
});

test('passing suite gates do not throw; bad gates are input errors pointing at the suite', async () => {
  const out = join(dir, 'pass');
  const ok = await applySuiteGates(makeResults(), { assertions: { 'utility.testAccuracy': ['error', { min: 0.6 }] } }, out, io().sink);
  assert.doesNotThrow(() => assertGatesPassed(ok));
  await assert.rejects(
    applySuiteGates(makeResults(), { assertions: { 'utility.acc': ['error', { min: 0.6 }] } }, join(dir, 'bad'), io().sink),
    (e: unknown) => e instanceof InputError && /^suites\/quick\.yaml assertions\["utility\.acc"\]: no experiment has metric/.test(e.format()),
  );
  assert.equal(existsSync(join(dir, 'bad')), false, 'nothing written on bad input');
});

test('in GitHub Actions, suite gates annotate the run', async () => {
  const { sink, annotate } = io({ GITHUB_ACTIONS: 'true' });
  await applySuiteGates(makeResults(), { extends: 'ppml:recommended' }, join(dir, 'gh'), sink);
  assert.equal(annotate.filter((l) => l.startsWith('::error ')).length, 2);
  assert.equal(annotate.filter((l) => l.startsWith('::warning ')).length, 3);
});
