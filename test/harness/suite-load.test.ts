import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { PACKAGE_ROOT } from '../../core/version.js';
import { loadSuite } from '../../harness/suite/load.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-suite-'));

function suiteFile(name: string, body: string): string {
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
}

const GOOD = `name: t
seed: 3
experiments:
  - name: a
    dataset: { id: synthetic, n: 200, features: 20, classes: 4 }
    model: { id: mlp, hidden: [8] }
    training:
      epochs: 2
    attacks:
      - id: loss-threshold
    matrix:
      training.weightDecay: [0, 0.1]
      model.activation: [tanh, relu]
`;

async function failure(body: string): Promise<InputError> {
  const f = suiteFile(`s${Math.random().toString(36).slice(2)}.yaml`, body);
  try {
    await loadSuite(f);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.location.file, f);
    return err;
  }
  assert.fail('suite loaded but should have failed');
}

test('a matrix expands to the cartesian product with defaults filled', async () => {
  const s = await loadSuite(suiteFile('good.yaml', GOOD));
  assert.equal(s.experiments.length, 4);
  assert.deepEqual(
    s.experiments.map((e) => [e.training.weightDecay, e.model.options.activation]),
    [
      [0, 'tanh'],
      [0, 'relu'],
      [0.1, 'tanh'],
      [0.1, 'relu'],
    ],
  );
  const e = s.experiments[0];
  assert.equal(e.training.optimizer, 'sgd');
  assert.equal(e.training.epochs, 2);
  assert.equal(e.dataset.options.flip, 0.1);
  assert.equal(e.seed, 3);
  assert.equal(new Set(s.experiments.map((x) => x.id)).size, 4);
  assert.match(s.hash, /^[0-9a-f]{64}$/);
});

test('--seed overrides the suite seed', async () => {
  const s = await loadSuite(suiteFile('seed.yaml', GOOD), { seed: 9 });
  assert.equal(s.experiments[0].seed, 9);
});

test('a negative epoch count names file, line, column, field and what is allowed', async () => {
  const err = await failure(GOOD.replace('epochs: 2', 'epochs: -3'));
  assert.equal(err.location.field, 'experiments[0].training.epochs');
  assert.equal(err.location.line, 8);
  assert.equal(err.location.column, 15);
  assert.match(err.format(), /:8:15 experiments\[0\]\.training\.epochs: .*got -3/);
});

test('an unknown dataset, model or attack id lists the known ids', async () => {
  let err = await failure(GOOD.replace('id: synthetic', 'id: cifar'));
  assert.equal(err.location.field, 'experiments[0].dataset.id');
  assert.match(err.message, /unknown dataset 'cifar'; known: synthetic, csv, mnist/);
  err = await failure(GOOD.replace('id: mlp', 'id: resnet'));
  assert.match(err.message, /unknown model 'resnet'/);
  err = await failure(GOOD.replace('id: loss-threshold', 'id: nope'));
  assert.equal(err.location.field, 'experiments[0].attacks[0].id');
  assert.match(err.message, /unknown attack 'nope'/);
});

test('plugin options are checked by the plugin schema, unknown fields refused', async () => {
  const err = await failure(GOOD.replace('hidden: [8]', 'hidden: [8], hiden: 3'));
  assert.match(err.message, /unknown field 'hiden'/);
  assert.equal(err.location.field, 'experiments[0].model.hiden');
});

test('a matrix value that is invalid is caught after expansion', async () => {
  const err = await failure(GOOD.replace('[tanh, relu]', '[tanh, sigmoid]'));
  assert.equal(err.location.field, 'experiments[0].model.activation');
});

test('malformed YAML reports its line', async () => {
  const err = await failure('name: x\nexperiments: [\n  - a: 1\n');
  assert.match(err.message, /malformed YAML/);
  assert.ok(err.location.line !== undefined);
});

test('a missing suite file is an InputError', async () => {
  await assert.rejects(loadSuite(join(dir, 'nope.yaml')), (e: unknown) => e instanceof InputError && /not found/.test(e.message));
});

test('every built-in suite validates', async () => {
  for (const f of ['quick.yaml']) {
    const s = await loadSuite(join(PACKAGE_ROOT, 'suites', f));
    assert.ok(s.experiments.length > 0);
  }
});

test('vars: defaults, --var overrides, numbers stay numbers, unknown names are errors', async () => {
  const body = GOOD.replace('seed: 3', 'seed: 3\nvars: { n: 300, act: relu }')
    .replace('n: 200', 'n: "${n}"')
    .replace("model: { id: mlp, hidden: [8] }", 'model: { id: mlp, hidden: [8], activation: "${act}" }')
    .replace(/ {4}matrix:\n.*\n.*\n/, '');
  const f = suiteFile('vars.yaml', body);
  const s = await loadSuite(f);
  assert.equal(s.experiments[0].dataset.options.n, 300);
  assert.equal(s.experiments[0].model.options.activation, 'relu');
  const o = await loadSuite(f, { vars: { act: 'tanh' } });
  assert.equal(o.experiments[0].model.options.activation, 'tanh');
  assert.notEqual(o.hash, s.hash, 'the variables given are part of the suite hash');
  await assert.rejects(loadSuite(f, { vars: { nope: '1' } }), /--var nope: the suite declares no such variable/);
  const e = await failure(body.replace('${act}', '${missing}'));
  assert.match(e.message, /unknown variable '\$\{missing\}'/);
  assert.equal(e.location.field, 'experiments[0].model.activation');
  assert.ok(e.location.line! > 1);
});

test('seeds: every experiment once per seed, the same id, the seed in the name; --seed picks one', async () => {
  const f = suiteFile('seeds.yaml', GOOD.replace('seed: 3', 'seeds: [3, 4]'));
  const s = await loadSuite(f);
  assert.deepEqual(s.seeds, [3, 4]);
  assert.equal(s.seed, 3);
  assert.equal(s.experiments.length, 8);
  const [a3, a4] = [s.experiments.find((e) => e.seed === 3)!, s.experiments.find((e) => e.seed === 4)!];
  assert.equal(a3.id, a4.id);
  assert.match(a4.name, / \[seed 4\]$/);
  const one = await loadSuite(f, { seed: 9 });
  assert.deepEqual(one.seeds, [9]);
  assert.equal(one.experiments.length, 4);
  assert.ok(!one.experiments[0].name.includes('[seed'));
});
