import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertions, resolveAssertions } from '../../../harness/gate/assertions.js';
import { evaluateGates } from '../../../harness/gate/evaluate.js';
import { gateJUnit } from '../../../harness/gate/junit.js';
import { makeResults } from '../../fixtures/results.js';

test('a test suite per experiment; error failures fail with expected and found, warnings pass with output', () => {
  const results = makeResults();
  results.experiments[0].name = 'base <&"line>';
  const set = resolveAssertions(
    parseAssertions({ assertions: { 'membership.lira.tprAt0.001': ['error', { max: 0.02 }], 'utility.testAccuracy': ['warn', { min: 0.7 }] } }, 'gates.json'),
    'gates.json',
  );
  const xml = gateJUnit(evaluateGates(results, set));
  assert.match(xml, /<testsuites name="ppml-audit gate" tests="4" failures="1" errors="0">/);
  const suites = xml.split('<testsuite ').slice(1);
  assert.equal(suites.length, 2);
  assert.match(suites[0], /^name="base &lt;&amp;&quot;line&gt;" tests="2" failures="1"/);
  const failure = [
    '    <testcase classname="quick/baseline" name="membership.lira.tprAt1e-3 max">',
    '      <failure type="max" message="membership.lira.tprAt1e-3 is 0.0568, above the max of 0.02">expected: &lt;= 0.02',
    'found: 0.0568',
    'assertion: membership.lira.tprAt0.001 (gates.json)</failure>',
  ].join('\n');
  assert.ok(suites[0].includes(failure), suites[0]);
  assert.match(suites[0], /<testcase classname="quick\/baseline" name="utility\.testAccuracy min"\/>/);
  assert.match(suites[1], /name="utility\.testAccuracy min">\n\s+<system-out>warning: utility\.testAccuracy is 0\.641, below the min of 0\.7<\/system-out>/);
  assert.doesNotMatch(suites[1], /<failure/);
});
