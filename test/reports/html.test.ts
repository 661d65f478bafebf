import { test } from 'node:test';
import assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import { embedJson, percent, renderHtml, seconds } from '../../reports/html.js';
import { makeResults } from '../fixtures/results.js';

const OPEN = '<script type="application/json" id="ppml-results">';

function hostile() {
  const r = makeResults({
    suite: { name: '<script>alert(1)</script>', description: 'line\u2028separator & </script><!-- end' },
  });
  r.experiments[0].name = 'exp "&<>';
  r.experiments[0].attacks[1].title = '<img src=x onerror=alert(1)>';
  return r;
}

function embedded(html: string): string {
  const start = html.indexOf(OPEN) + OPEN.length;
  return html.slice(start, html.indexOf('</script>', start));
}

test('user strings render as text, never as markup', () => {
  const html = renderHtml(hostile());
  assert.ok(!html.includes('<script>alert'));
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('exp &quot;&amp;&lt;&gt;'));
  assert.equal(html.match(/<script/g)?.length, 1, 'the JSON data block is the only script element');
});

test('the embedded JSON round-trips and cannot close its script element', () => {
  const r = hostile();
  const json = embedded(renderHtml(r));
  assert.ok(!/[<>\u2028\u2029]/.test(json));
  assert.ok(json.includes('\\u003c/script\\u003e'));
  assert.deepEqual(JSON.parse(json), r);
  assert.equal(embedJson('&'), '"\\u0026"');
});

test('the page can make no request: CSP, no URL in src or href, no namespace URL', () => {
  const html = renderHtml(makeResults());
  assert.ok(
    html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`),
  );
  assert.ok(!html.includes('http://') && !html.includes('https://'));
  for (const [, attr, value] of html.matchAll(/\b(src|href)\s*=\s*"([^"]*)"/gi)) {
    assert.ok(!/^\s*(\w+:)?\/\//.test(value), `${attr}="${value}"`);
  }
  assert.ok(!html.includes('xmlns='));
  assert.ok(!/<(link|iframe|object|embed|img)\b/i.test(html));
});

test('every section is there, in order, for every experiment', () => {
  const r = makeResults();
  const html = renderHtml(r);
  const order = ['id="cover"', '<h2>Summary</h2>'];
  r.experiments.forEach((e, i) => {
    order.push(`<h2>Experiment ${i + 1}: ${Handlebars.escapeExpression(e.name)}</h2>`);
    for (const h of ['Threat model', 'Configuration', 'Utility', 'Attacks', 'Costs']) order.push(`<h3>${h}</h3>`);
  });
  order.push('<h2>Environment and reproducibility</h2>');
  let at = 0;
  for (const marker of order) {
    const next = html.indexOf(marker, at);
    assert.ok(next >= 0, `missing or out of order: ${marker}`);
    at = next;
  }
  assert.equal(html.match(/<svg class="roc"/g)?.length, 2);
  assert.equal(html.match(/<svg class="line"/g)?.length, 2);
});

test('cover verdict names the worst attack; metrics show intervals and notes', () => {
  const r = makeResults();
  const html = renderHtml(r);
  const lira = r.experiments[0].attacks[1];
  const tpr = lira.metrics['tprAt1e-3'];
  assert.match(html, /Across 2 experiments, the strongest attack is LiRA \(offline\) on “baseline”: it picks out [\d.]+% of training records/);
  assert.ok(tpr.low !== undefined && tpr.high !== undefined);
  assert.match(html, /<td>TPR at 0\.1% FPR<\/td><td class="n">[\d.]+%<\/td><td class="n">\[[\d.]+%, [\d.]+%\]<\/td>/);
  assert.ok(html.includes('2500 non-members cannot resolve FPR 0.0001'));
  assert.ok(html.includes(r.suite.hash) && html.includes(r.command));
});

test('ROC axis starts at the FPR the non-member count can resolve', () => {
  const r = makeResults();
  for (const a of r.experiments[0].attacks) a.nonMembers = 500;
  const [first, second] = renderHtml(r).match(/<svg class="roc".*?<\/svg>/gs) ?? ['', ''];
  assert.ok(first.includes('>0.1%</text>') && !first.includes('>0.01%</text>'), '1/500 rounds down to 0.1%');
  assert.ok(second.includes('>0.01%</text>'), '2500 non-members: the 1e-4 floor');
});

test('numbers read as a person writes them', () => {
  assert.deepEqual(
    [0.994, 0.0568, 0.0048, 0.0008, 1, 0, undefined].map(percent),
    ['99.4%', '5.68%', '0.48%', '0.080%', '100%', '0%', '\u2014'],
  );
  assert.deepEqual([0.8, 18.4, 61.2, 7300].map(seconds), ['800 ms', '18.4 s', '1 min 1 s', '2 h 2 min']);
});
