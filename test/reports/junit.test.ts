import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJUnit, type JUnitSuite } from '../../reports/junit.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAME = /[A-Za-z_][\w.-]*/.source;
const VALUE = /"(?:[^"<&]|&(?:amp|lt|gt|quot|apos|#\d+);)*"/.source;
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}=${VALUE})*)\\s*(/?)>`, 'y');
const TEXT = /(?:[^<&]|&(?:amp|lt|gt|quot|apos|#\d+);)+/y;

/**
 * A strict subset of XML 1.0 well-formedness, enough for what the renderer emits: one root,
 * balanced tags, quoted attributes and text with no raw `<` or stray `&`, no forbidden characters.
 */
function assertWellFormed(xml: string): void {
  assert.ok(xml.startsWith(DECLARATION), 'XML declaration');
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, 'no character XML 1.0 forbids');
  const open: string[] = [];
  let roots = 0;
  let i = DECLARATION.length;
  while (i < xml.length) {
    TAG.lastIndex = TEXT.lastIndex = i;
    const tag = TAG.exec(xml);
    if (tag) {
      const [, closing, name, , selfClosing] = tag;
      if (closing) assert.equal(open.pop(), name, `</${name}> closes what is open`);
      else {
        if (open.length === 0) roots++;
        if (!selfClosing) open.push(name);
      }
      i = TAG.lastIndex;
      continue;
    }
    const text = TEXT.exec(xml);
    assert.ok(text, `unparseable at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
    if (open.length === 0) assert.match(text[0], /^\s+$/, 'only white space outside the root');
    i = TEXT.lastIndex;
  }
  assert.deepEqual(open, [], 'every tag closed');
  assert.equal(roots, 1, 'one root element');
}

const HOSTILE = 'exp <&"\'> ]]> \u0001 \uD800';

function hostileSuites(): JUnitSuite[] {
  return [
    {
      name: HOSTILE,
      cases: [
        { name: `m.${HOSTILE}`, className: HOSTILE, failure: { type: 'max', message: `a\nb <&"`, body: `expected: <= 0.02\nfound: 0.06 & "more"` } },
        { name: 'passes', className: 'x' },
        { name: 'warns', className: 'x', output: 'warning: <b>&</b>' },
      ],
    },
    { name: 'empty', cases: [] },
  ];
}

test('JUnit XML is well-formed whatever the names hold, and escapes them', () => {
  const xml = renderJUnit('ppml-audit <gate>', hostileSuites());
  assertWellFormed(xml);
  assert.ok(!xml.includes('<&'), 'no raw markup from user text');
  assert.ok(xml.includes('name="exp &lt;&amp;&quot;&apos;&gt; ]]&gt; \uFFFD \uFFFD"'), 'attribute escaped, forbidden characters replaced');
  assert.ok(xml.includes('message="a&#10;b &lt;&amp;&quot;"'), 'a line break in an attribute survives');
  assert.ok(xml.includes('>expected: &lt;= 0.02\nfound: 0.06 &amp; &quot;more&quot;</failure>'));
  assert.ok(xml.includes('<system-out>warning: &lt;b&gt;&amp;&lt;/b&gt;</system-out>'));
});

test('counts agree with the cases', () => {
  const xml = renderJUnit('g', hostileSuites());
  assert.match(xml, /<testsuites name="g" tests="3" failures="1" errors="0">/);
  assert.match(xml, /<testsuite name="[^"]*" tests="3" failures="1" errors="0" skipped="0">/);
  assert.match(xml, /<testsuite name="empty" tests="0" failures="0" errors="0" skipped="0">\n {2}<\/testsuite>/);
  assert.match(xml, /<testcase classname="x" name="passes"\/>/);
  assertWellFormed(renderJUnit('none', []));
});

test('the checker itself refuses broken XML', () => {
  for (const bad of ['<a><b></a></b>', '<a>x < y</a>', '<a b="1 & 2"/>', '<a/><b/>', '<a>&nbsp;</a>']) {
    assert.throws(() => assertWellFormed(DECLARATION + bad), bad);
  }
});
