import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsSchema, SCHEMA_VERSION } from '../../core/results.js';
import { fileWriter, runCli, TINY } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-cli-'));

const write = fileWriter(dir);

test('run writes results.json, report.html and summary.md that agree', () => {
  const out = join(dir, 'out-tiny');
  const r = runCli(['run', write('tiny.yaml', TINY), '--out', out, '--workers', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const results = resultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
  assert.deepEqual(JSON.parse(r.stdout), results, '--json prints results.json');
  assert.equal(results.experiments.length, 2);
  assert.match(results.environment.backend, /^(wasm\+gemm-(fma|simd)|cpu|tensorflow)$/);
  for (const e of results.experiments) {
    assert.equal(e.utility.trainAccuracy, 1, 'the tiny MLP memorizes its 200 members');
    const m = e.attacks[0].metrics;
    assert.ok(m.auc.value > 0.6, `an overfit model leaks: AUC ${m.auc.value}`);
    assert.ok(m['tprAt1e-2'].value >= 0 && m['tprAt1e-2'].value <= 1);
    assert.match(m['tprAt1e-3'].note ?? '', /resolution-limited/, '200 non-members cannot resolve 0.1% FPR');
    assert.ok((e.attacks[0].roc ?? []).length > 2);
    assert.equal(e.costs.samplesPerSecond > 0, true);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.includes('overfit-mlp (weightDecay=0.05)'));
  assert.ok(html.includes('&lt;b&gt;escaped&lt;/b&gt;'), 'user text is escaped');
  assert.ok(!/https?:\/\//.test(html), 'no URL in the report');
  assert.ok(readFileSync(join(out, 'summary.md'), 'utf8').includes('overfit-mlp'));
  assert.match(r.stderr, /test accuracy/);
});

test('the same seed reproduces the same metrics, inline or on workers', () => {
  const f = write('repro.yaml', TINY);
  const a = runCli(['run', f, '--out', join(dir, 'r1'), '--workers', '1', '--no-cache']);
  const b = runCli(['run', f, '--out', join(dir, 'r2'), '--workers', '2', '--no-cache']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const load = (d: string) => resultsSchema.parse(JSON.parse(readFileSync(join(dir, d, 'results.json'), 'utf8')));
  const metrics = (d: string) => load(d).experiments.map((e) => [e.utility, e.attacks.map((x) => x.metrics)]);
  assert.deepEqual(
    metrics('r1').map(([u, m]) => [{ ...(u as object) }, m]),
    metrics('r2').map(([u, m]) => [{ ...(u as object) }, m]),
  );
});

test('report re-renders from results.json alone and refuses other schema versions', () => {
  const out = join(dir, 'out-tiny');
  const file = join(out, 'results.json');
  const html = join(dir, 'again.html');
  const r = runCli(['report', file, '--out', html]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(readFileSync(html, 'utf8').includes('overfit-mlp'));
  const old = JSON.parse(readFileSync(file, 'utf8'));
  old.schemaVersion = 0;
  const bad = write('old.json', JSON.stringify(old));
  const r2 = runCli(['report', bad]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, new RegExp(`schemaVersion 0 is not ${SCHEMA_VERSION}`));
});

test('bad input: one clear message, exit 2, no output folder', () => {
  const cases: [string, string, RegExp][] = [
    ['neg.yaml', TINY.replace('epochs: 30', 'epochs: -3'), /neg\.yaml:9:\d+ experiments\[0\]\.training\.epochs: .*got -3/],
    ['unknown.yaml', TINY.replace('id: mlp', 'id: transformer'), /unknown model 'transformer'/],
    ['toobig.yaml', TINY.replace('test: 200', 'test: 2000'), /split/],
    ['csv.yaml', TINY.replace('{ id: synthetic, n: 800, features: 100, classes: 10, flip: 0.3 }', '{ id: csv, path: missing.csv, label: y }'), /missing\.csv/],
  ];
  for (const [name, body, pattern] of cases) {
    const out = join(dir, `out-${name}`);
    const r = runCli(['run', write(name, body), '--out', out]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').filter((l) => l.startsWith('error')).length, 1);
    assert.equal(existsSync(out), false, `${name} left ${out} behind`);
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), [], 'no temp dirs left');
  const missing = runCli(['run', join(dir, 'absent.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /absent\.yaml: suite file not found/);
  const usage = runCli(['run', write('ok.yaml', TINY), '--backend', 'gpu']);
  assert.equal(usage.code, 2);
});

test('a ragged CSV row is reported with its line', () => {
  const csv = write('ragged.csv', 'a,b,y\n1,2,x\n3,4\n5,6,z\n');
  const body = TINY.replace('{ id: synthetic, n: 800, features: 100, classes: 10, flip: 0.3 }', `{ id: csv, path: ${csv}, label: y }`);
  const r = runCli(['run', write('ragged.yaml', body), '--out', join(dir, 'out-ragged')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ragged\.csv:3/);
});

test('validate and list', () => {
  const v = runCli(['validate', 'suites/quick.yaml']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /ok, 3 experiment/);
  const l = runCli(['list']);
  assert.equal(l.code, 0);
  for (const id of ['synthetic', 'csv', 'mnist', 'mlp', 'cnn', 'loss-threshold', 'suites/quick.yaml']) assert.ok(l.stdout.includes(id), id);
  assert.equal(runCli(['list', 'widgets']).code, 2);
});
