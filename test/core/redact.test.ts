import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact } from '../../core/redact.js';
import { resultsSchema } from '../../core/results.js';
import { makeResults } from '../fixtures/results.js';

test('redact drops every flagged record, keeps the aggregates, and leaves its input alone', () => {
  const r = makeResults();
  const before = structuredClone(r);
  const out = redact(r);
  assert.deepEqual(r, before, 'a pure function');
  assert.equal(out.redacted, true);
  const json = JSON.stringify(resultsSchema.parse(out));
  assert.ok(!json.includes('"vulnerable":[{'), 'no record id or label in the results');
  assert.ok(!json.includes('"label":'), 'no label field anywhere');
  assert.deepEqual(
    out.experiments.map((e) => e.attacks.map((a) => [a.metrics, a.slices, a.roc])),
    r.experiments.map((e) => e.attacks.map((a) => [a.metrics, a.slices, a.roc])),
  );
  assert.deepEqual(out.experiments.map((e) => e.scores), r.experiments.map((e) => e.scores));
});
