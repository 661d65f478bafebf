import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../core/errors.js';
import { loadAssertions, parseAssertions, resolveAssertions } from '../../../harness/gate/assertions.js';
import { PRESETS } from '../../../harness/gate/presets.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-assertions-'));

const resolve = (raw: unknown) => resolveAssertions(parseAssertions(raw, 'a.json'), 'a.json');

function inputError(fn: () => unknown, pattern: RegExp): InputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.match(err.format(), pattern);
    return err;
  }
  assert.fail('no error');
}

test('the lhci forms parse: a level alone, [level], [level, options]', () => {
  const c = parseAssertions(
    {
      assertions: {
        'membership.loss-threshold.tprAt0.001': ['error', { max: 0.02 }],
        'utility.testAccuracy': ['warn', { min: 0.8 }],
        'membership.*.auc': ['error', { max: 0.6 }],
        x: 'off',
        'membership.loss-threshold.auc': ['error', { maxIncrease: 0.01 }],
      },
      experiments: 'quick/*',
    },
    'a.json',
  );
  assert.deepEqual(c.assertions.x, ['off']);
  assert.equal(c.experiments, 'quick/*');
});

test('bad entries point at their field', () => {
  inputError(() => parseAssertions({ assertions: { a: ['fatal', { max: 1 }] } }, 'a.json'), /a\.json assertions\.a\[0\]: .*"error"\|"warn"\|"off"/);
  inputError(() => parseAssertions({ assertions: { 'a.b': ['error', { maxx: 1 }] } }, 'a.json'), /assertions\["a\.b"\]\[1\]\.maxx: unknown option; use min, max, maxIncrease, maxDecrease, maxMetric/);
  inputError(() => parseAssertions({ assertions: {}, preset: 'x' }, 'a.json'), /^a\.json preset: unknown field; use \$schema, extends, assertions, experiments$/);
  inputError(() => resolve({ assertions: { 'a.b': ['error', {}] } }), /assertions\["a\.b"\]: give at least one of min, max/);
  inputError(() => resolve({ assertions: { 'a.b': 'warn' } }), /'warn' alone only changes the level a preset set/);
  inputError(() => resolve({ extends: 'ppml:strict', assertions: {} }), /unknown preset 'ppml:strict'; known: ppml:recommended, ppml:no-regression/);
  inputError(
    () => resolve({ assertions: { 'm.a.tprAt0.001': ['error', { max: 1 }], 'm.a.tprAt1e-3': ['warn', { max: 1 }] } }),
    /names the same metric as 'm\.a\.tprAt0\.001'/,
  );
});

test('keys and maxMetric are canonical after resolving', () => {
  const set = resolve({ assertions: { 'mia.lira.tprAt0.01': ['error', { max: 0.1, maxMetric: 'mia.lira.tprAt0.1' }] } });
  assert.deepEqual(set.assertions.map((a) => [a.key, a.written, a.options]), [
    ['membership.lira.tprAt1e-2', 'mia.lira.tprAt0.01', { max: 0.1, maxMetric: 'membership.lira.tprAt1e-1' }],
  ]);
});

test('extending a preset: own options replace it per key, a level alone re-levels, off removes', () => {
  const recommended = resolve({ extends: 'ppml:recommended', assertions: {} }).assertions;
  assert.deepEqual(
    recommended.map((a) => [a.key, a.level, a.fromPreset, a.source]),
    Object.entries(PRESETS['ppml:recommended'].assertions).map(([k, [level]]) => [k, level, true, 'ppml:recommended']),
  );
  const set = resolve({
    extends: ['ppml:recommended', 'ppml:no-regression'],
    assertions: {
      'membership.*.tprAt0.001': ['error', { max: 0.05 }],
      'membership.*.tprAt0.01': 'warn',
      'membership.*.auc': 'off',
    },
  });
  const byKey = (k: string) => set.assertions.filter((a) => a.key === k).map((a) => [a.level, a.options, a.fromPreset]);
  assert.deepEqual(byKey('membership.*.tprAt1e-3'), [['error', { max: 0.05 }, false]]);
  assert.deepEqual(byKey('membership.*.tprAt1e-2'), [
    ['warn', { max: 0.05 }, true],
    ['warn', { maxIncrease: 0.01 }, true],
  ]);
  assert.deepEqual(byKey('membership.*.auc'), []);
  assert.deepEqual(byKey('utility.testAccuracy'), [['warn', { maxDecrease: 0.02 }, true]]);
});

test('assertions files load as JSON or YAML; malformed files say where', async () => {
  const json = join(dir, 'a.json');
  writeFileSync(json, JSON.stringify({ assertions: { 'utility.testAccuracy': ['warn', { min: 0.8 }] } }));
  const yaml = join(dir, 'a.yaml');
  writeFileSync(yaml, 'extends: ppml:recommended\nassertions:\n  utility.testAccuracy: [warn, { min: 0.8 }]\n');
  assert.deepEqual((await loadAssertions(json)).assertions, (await loadAssertions(yaml)).assertions);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{\n  "assertions": {\n    "a": ["error", {"max": 1}],,\n  }\n}\n');
  await assert.rejects(loadAssertions(bad), (e: unknown) => e instanceof InputError && /bad\.json:3:\d+: malformed JSON\/YAML/.test(e.format()));
  await assert.rejects(loadAssertions(join(dir, 'absent.yaml')), /assertions file not found/);
});
