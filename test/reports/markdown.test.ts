import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../reports/markdown.js';
import { makeResults } from '../fixtures/results.js';

test('summary has a title, a verdict, the gates count and a row per experiment with its scores', () => {
  const r = makeResults();
  const md = renderMarkdown(r);
  assert.match(md, /^# Privacy audit: quick$/m);
  assert.match(md, /^\*\*Not safe to ship as tested\.\*\* In 2 of 2 configurations an attacker can single out training records\./m);
  assert.match(md, /^\*\*No gates configured\.\*\*$/m);
  assert.match(md, /^\| Experiment \| Variant \| Privacy \| Utility \| Cost \|/m);
  assert.match(md, /^\| baseline \| base configuration \| 28 \| 100 \| n\/a \|/m);
  for (const e of r.experiments) assert.match(md, new RegExp(`^\\| ${e.name.replace(/[()]/g, '\\$&')} \\|`, 'm'));
  assert.equal(md.match(/^## /gm)?.length, 2);
  const gated = renderMarkdown(makeResults({ gates: [] }));
  assert.match(gated, /^\*\*Gates: 0 failed, 0 warnings, 0 passed\.\*\*$/m);
});

test('user text cannot break a table: pipes escaped, newlines flattened, no raw HTML', () => {
  const r = makeResults();
  r.experiments[0].name = 'a|b\nc <img>';
  r.experiments[0].attacks[0].finding = 'x | y\r\nz';
  const md = renderMarkdown(r);
  assert.ok(md.includes('| a\\|b c &lt;img> |'));
  assert.ok(md.includes('| x \\| y z |'));
  const columns = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
  const header = md.split('\n').find((l) => l.startsWith('| Experiment'))!;
  const rowLine = md.split('\n').find((l) => l.startsWith('| a\\|b'))!;
  assert.equal(columns(rowLine), columns(header));
});
