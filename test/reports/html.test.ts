import { test } from 'node:test';
import assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import { redact } from '../../core/redact.js';
import type { Results } from '../../core/results.js';
import { percent, seconds } from '../../reports/format.js';
import { embedJson, renderHtml } from '../../reports/html.js';
import { makeOutcome } from '../fixtures/gates.js';
import { makeResults } from '../fixtures/results.js';

const OPEN = '<script type="application/json" id="ppml-results">';

function hostile() {
  const r = makeResults({
    suite: { name: '<script>alert(1)</script>', description: 'line\u2028separator & </script><!-- end' },
  });
  r.experiments[0].name = 'exp "&<>';
  r.experiments[1].name = '<script src="x.js"></script>';
  r.experiments[0].attacks[1].title = '<img src=x onerror=alert(1)>';
  r.experiments[0].attacks[1].vulnerable[0].label = '<b>label</b>';
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
  assert.ok(!html.includes('<b>label'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('exp &quot;&amp;&lt;&gt;'));
  assert.equal(html.match(/<script/g)?.length, 1, 'the JSON data block is the only script element');
  assert.ok(!/<script src/i.test(html));
  assert.ok(!/https?:\/\//.test(html));
});

test('the embedded JSON round-trips and cannot close its script element', () => {
  const r = hostile();
  const json = embedded(renderHtml(r));
  assert.ok(!/[<>\u2028\u2029]/.test(json));
  assert.ok(json.includes('\\u003c/script\\u003e'));
  assert.deepEqual(JSON.parse(json), r);
  assert.equal(embedJson('&'), '"\\u0026"');
});

test('the page can make no request: CSP, no URL anywhere, no namespace URL', () => {
  const html = renderHtml(makeResults({ gates: [makeOutcome()] }));
  assert.ok(
    html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`),
  );
  assert.ok(!/https?:\/\//.test(html));
  for (const [, attr, value] of html.matchAll(/\b(src|href)\s*=\s*"([^"]*)"/gi)) {
    assert.ok(!/^\s*(\w+:)?\/\//.test(value), `${attr}="${value}"`);
  }
  assert.ok(!html.includes('xmlns='));
  assert.ok(!/<(link|iframe|object|embed|img)\b/i.test(html));
});

test('every section is there, in order, for every experiment', () => {
  const r = makeResults();
  const html = renderHtml(r);
  const order = ['id="cover"', 'id="verdict"', '<h2>Executive summary</h2>', '<h2>Privacy, utility and cost</h2>', '<h2>Gates</h2>'];
  r.experiments.forEach((e, i) => {
    order.push(`<h2>Experiment ${i + 1}: ${Handlebars.escapeExpression(e.name)}</h2>`);
    for (const h of ['Scores', 'Threat model', 'Configuration', 'Utility', 'Attacks', 'Costs']) order.push(`<h3>${h}</h3>`);
  });
  order.push('<h2>Methods</h2>', '<h3>Scores</h3>', '<h3>Metrics</h3>', '<h3 id="reproducibility">Reproducibility</h3>');
  let at = 0;
  for (const marker of order) {
    const next = html.indexOf(marker, at);
    assert.ok(next >= 0, `missing or out of order: ${marker}`);
    at = next;
  }
  assert.equal(html.match(/<svg class="roc"/g)?.length, 2);
  assert.equal(html.match(/<svg class="line"/g)?.length, 2);
  assert.equal(html.match(/<svg class="frontier"/g)?.length, 1);
  assert.equal(html.match(/<svg class="gauge /g)?.length, 6, 'three gauges per experiment');
});

test('the cover answers: ship or not, the best option and its cost, the gates', () => {
  const r = makeResults();
  const html = renderHtml(r);
  assert.match(html, /<h2>Not safe to ship as tested<\/h2>/);
  assert.match(html, /In 2 of 2 configurations an attacker can single out training records\. Worst, “baseline”: an attacker can tell, for 57 in 1,000 training records/);
  const best = 'Best option tested, “DP-SGD (ε = 8)”, scores privacy 78, utility 50 and cost 78 out of 100: it is correct on 64.1%';
  assert.ok(html.includes(Handlebars.escapeExpression(best)));
  assert.match(html, /No gates configured\./);
  assert.match(html, /ML backend wasm/);
});

test('the executive summary shows each score with its band and a plain finding', () => {
  const html = renderHtml(makeResults());
  assert.match(html, /aria-label="Privacy: 28 of 100"/);
  assert.match(html, /aria-label="Cost: not applicable"/);
  assert.ok(html.includes('Correct on 64.1% of records it never saw, 7.1 points below the plain model “baseline” (71.2%).'));
  assert.ok(html.includes('Training took 1 min 1 s, 3.3 times the plain model’s 18.4 s.'));
});

test('gates: failures first, then warnings, then passes, with the count', () => {
  const gates = [
    makeOutcome({ metric: 'utility.testAccuracy', passed: true }),
    makeOutcome({ level: 'warn', metric: 'membership.lira.auc', message: 'auc above' }),
    makeOutcome({ metric: 'membership.lira.tprAt1e-2', message: 'tpr above the max' }),
  ];
  const html = renderHtml(makeResults({ gates }));
  const section = html.slice(html.indexOf('<section id="gates">'), html.indexOf('</section>', html.indexOf('<section id="gates">')));
  const statuses = [...section.matchAll(/<tr class="(\w+)"><td>(\w+)<\/td>/g)].map((m) => m[2]);
  assert.deepEqual(statuses, ['FAIL', 'WARN', 'pass']);
  assert.match(section, /1 failed, 1 warning\(s\), 1 passed/);
  assert.ok(section.includes('tpr above the max'));
  assert.match(html, /Gates: 1 failed, 1 warning, 1 passed\./, 'the cover counts them');
  assert.match(renderHtml(makeResults({ gates: [] })), /The suite’s gates applied to no metric/);
});

test('redacted: no vulnerable record id or label anywhere, and the report says so', () => {
  const r: Results = makeResults();
  r.experiments[0].attacks[0].vulnerable = [{ id: 987654, label: 'secret-label', member: true, score: 1 }];
  const plain = renderHtml(r);
  assert.ok(plain.includes('987654') && plain.includes('secret-label'), 'shown when not redacted');
  const html = renderHtml(redact(r));
  assert.ok(!html.includes('987654') && !html.includes('secret-label'));
  assert.match(html, /Redacted: record ids and labels are left out of this report\./);
  assert.match(html, /Withheld: this report is redacted\./);
  assert.ok(!html.includes('class="vulnerable"'));
});

test('metrics show intervals and notes; reproducibility shows command and hash', () => {
  const r = makeResults();
  const html = renderHtml(r);
  const tpr = r.experiments[0].attacks[1].metrics['tprAt1e-3'];
  assert.ok(tpr.low !== undefined && tpr.high !== undefined);
  assert.match(html, /<td>TPR at 0\.1% FPR<\/td><td class="n">[\d.]+%<\/td><td class="n">\[[\d.]+%, [\d.]+%\]<\/td>/);
  assert.ok(html.includes('2500 non-members cannot resolve FPR 0.0001'));
  assert.ok(html.includes(r.suite.hash) && html.includes(r.command));
});

test('a results.json written before scores existed still renders them', () => {
  const r = makeResults();
  for (const e of r.experiments) delete e.scores;
  assert.match(renderHtml(r), /aria-label="Privacy: 28 of 100"/);
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

test('a DP sweep gets its accuracy and leakage curves against epsilon, and each DP experiment its guarantee and audit verdict', () => {
  const r = makeResults();
  const [plain, dp] = r.experiments;
  plain.name = 'adult (epsilon=Infinity)';
  plain.variant = { 'dp.epsilon': Infinity };
  dp.name = 'adult (epsilon=2)';
  dp.variant = { 'dp.epsilon': 2 };
  dp.privacy = {
    mechanism: 'dp-sgd',
    epsilon: 1.98,
    delta: 1e-5,
    noiseMultiplier: 1.3,
    clip: 1,
    sampleRate: 0.01,
    steps: 2000,
    accountant: 'prv',
    method: 'PRV <numerical>',
    assumptions: { sampling: 'Poisson' },
    warnings: ['delta is <large>'],
    noise: 'seeded',
    clippedFraction: 0.7,
  };
  dp.attacks.push({
    ...dp.attacks[0],
    id: 'one-run',
    title: 'One-run DP audit',
    family: 'audit',
    metrics: { epsilonLowerBound: { value: 3.1 }, claimedEpsilon: { value: 1.98 }, exceedsClaim: { value: 1 } },
    roc: undefined,
    finding: 'FAIL: the audit shows epsilon >= 3.1, above the claimed epsilon 1.98: this DP implementation leaks more than it claims.',
  });
  const html = renderHtml(r);
  const sweep = html.slice(html.indexOf('<section id="dp-sweeps">'), html.indexOf('<section id="gates">'));
  assert.ok(sweep.length > 0, 'the privacy-budget section is there');
  assert.match(sweep, /<h3>adult<\/h3>/);
  assert.equal(sweep.match(/<svg class="epsilon-curve"/g)?.length, 2);
  assert.match(sweep, />no DP</);
  assert.match(html, /<h3>Differential privacy<\/h3>/);
  assert.match(html, /PRV &lt;numerical&gt;/);
  assert.match(html, /Warning: delta is &lt;large&gt;/);
  assert.match(html, /class="audit-fail"><strong>One-run DP audit:<\/strong> FAIL/);
  // An experiment without a sweep partner has no such section.
  assert.ok(!renderHtml(makeResults()).includes('<section id="dp-sweeps">'));
});
