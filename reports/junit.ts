/**
 * JUnit XML, the test-report format CI systems (GitHub, GitLab, Jenkins, Azure) read. The
 * renderer knows test suites and cases only, so gates and any later producer share it.
 */
export interface JUnitCase {
  name: string;
  className: string;
  /** Present when the case failed: a one-line message and a longer body. */
  failure?: { type: string; message: string; body: string };
  /** Shown beside a case that passed (a warning, a note). */
  output?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

// XML 1.0 cannot carry these at all, escaped or not (XML 1.0, section 2.2): control characters
// other than tab and line breaks, U+FFFE/U+FFFF, and halves of a surrogate pair standing alone.
const NOT_XML = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]' +
    '|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  'g',
);

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function text(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

// Parsers normalise white space in attribute values, so line breaks and tabs go as references.
function attr(s: string): string {
  return text(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function testCase(c: JUnitCase): string {
  const open = `    <testcase classname="${attr(c.className)}" name="${attr(c.name)}"`;
  const body = [
    c.failure && `      <failure type="${attr(c.failure.type)}" message="${attr(c.failure.message)}">${text(c.failure.body)}</failure>`,
    c.output && `      <system-out>${text(c.output)}</system-out>`,
  ].filter(Boolean);
  return body.length ? [`${open}>`, ...body, '    </testcase>'].join('\n') : `${open}/>`;
}

/** One `<testsuites>` document; counts are derived, so they always agree with the cases. */
export function renderJUnit(name: string, suites: JUnitSuite[]): string {
  const failures = (cases: JUnitCase[]) => cases.filter((c) => c.failure).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" tests="${all.length}" failures="${failures(all)}" errors="0">`,
  ];
  for (const s of suites) {
    lines.push(`  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${failures(s.cases)}" errors="0" skipped="0">`);
    lines.push(...s.cases.map(testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
