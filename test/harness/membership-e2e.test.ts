import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsSchema, type Results } from '../../core/results.js';
import { runCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-mia-'));
const cache = join(dir, 'cache');

const SUITE = `name: mia
seed: 3
experiments:
  - name: overfit
    dataset: { id: synthetic, n: 1000, features: 80, classes: 10, flip: 0.3, flipSpread: 0.2 }
    split: { members: 200, nonMembers: 200, population: 400, test: 200 }
    model: { id: mlp, hidden: [32] }
    training: { learningRate: 0.1, momentum: 0.9, batchSize: 32, epochs: 15 }
    attacks:
      - { id: loss-threshold }
      - { id: population }
      - { id: lira, references: 4 }
      - { id: lira, name: lira-offline, mode: offline, references: 2 }
      - { id: rmia, references: 2 }
      - { id: shadow, references: 2 }
      - { id: gap }
      - { id: noise-robustness, queries: 4 }
`;

function write(name: string, body: string): string {
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
}

const suite = write('mia.yaml', SUITE);
const load = (out: string): Results => resultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
/** What must not change between runs of the same seed: utility and every attack's metrics and ROC. */
const outcome = (r: Results) => r.experiments.map((e) => ({ utility: e.utility, attacks: e.attacks.map((a) => [a.id, a.metrics, a.roc]) }));
const run = (out: string, ...flags: string[]) => {
  const r = runCli(['run', suite, '--out', join(dir, out), ...flags]);
  assert.equal(r.code, 0, r.stderr);
  return load(join(dir, out));
};

test('every attack runs; reference models are shared, trained once, then come from the cache', () => {
  const first = run('first', '--cache-dir', cache, '--workers', '2');
  const e = first.experiments[0];
  assert.deepEqual(
    e.attacks.map((a) => a.id),
    ['loss-threshold', 'population', 'lira', 'lira-offline', 'rmia', 'shadow', 'gap', 'noise-robustness'],
  );
  // lira: 4 on the candidates; lira-offline, rmia and shadow all use population pair 0.
  assert.equal(e.costs.referenceModels, 6);
  assert.equal(e.costs.cachedModels, 0);
  for (const a of e.attacks) {
    assert.ok(a.metrics.auc.value >= 0 && a.metrics.auc.value <= 1, a.id);
    assert.ok(a.metrics['tprAt1e-2'].low! <= a.metrics['tprAt1e-2'].value, a.id);
    assert.ok(a.metrics.epsilonLowerBound.value >= 0, a.id);
    assert.equal(a.vulnerable.length, 10);
  }
  const lira = e.attacks.find((a) => a.id === 'lira')!;
  assert.ok(lira.metrics.auc.value > 0.7, `an overfit model leaks to LiRA: ${lira.metrics.auc.value}`);
  assert.match(lira.notes[0], /4 reference models \(online\)/);
  assert.ok('calibratedTprAt1e-2' in e.attacks[0].metrics, 'threshold attacks report a population-calibrated operating point');

  const again = run('again', '--cache-dir', cache, '--workers', '2');
  assert.equal(again.experiments[0].costs.cachedModels, 7, 'target + 6 references from the cache');
  assert.deepEqual(outcome(again), outcome(first));
  assert.equal(again.experiments[0].costs.trainingSeconds, e.costs.trainingSeconds, 'a cache hit keeps the measured training time');

  const fresh = run('fresh', '--no-cache', '--workers', '1');
  assert.equal(fresh.experiments[0].costs.cachedModels, 0);
  assert.deepEqual(outcome(fresh), outcome(first), 'inline and worker threads train the same models');
});

test('a damaged cache entry is dropped and retrained, not trusted', () => {
  const entries = readdirSync(cache, { recursive: true }).map(String).filter((f) => f.endsWith('.model'));
  assert.equal(entries.length, 7);
  truncateSync(join(cache, entries[0]), 100);
  const r = run('damaged', '--cache-dir', cache, '--workers', '2');
  assert.equal(r.experiments[0].costs.cachedModels, 6);
  assert.deepEqual(outcome(r), outcome(load(join(dir, 'first'))));
  assert.ok(readdirSync(cache, { recursive: true }).every((f) => !String(f).endsWith('.tmp')), 'no temp files left');
});

test('shards train disjoint slices; merge equals the unsharded run', () => {
  const shardCache = join(dir, 'shard-cache');
  for (const i of [1, 2]) {
    const r = runCli(['run', suite, '--shard', `${i}/2`, '--out', join(dir, `s${i}`), '--cache-dir', shardCache, '--workers', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, `s${i}`, 'shard.json')));
  }
  const models = (i: number) => JSON.parse(readFileSync(join(dir, `s${i}`, 'shard.json'), 'utf8')).models as string[];
  assert.equal(models(1).length + models(2).length, 7);
  assert.equal(new Set([...models(1), ...models(2)]).size, 7);

  const merged = runCli(['merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'merged'), '--no-cache', '--workers', '1']);
  assert.equal(merged.code, 0, merged.stderr);
  const m = load(join(dir, 'merged'));
  assert.equal(m.experiments[0].costs.cachedModels, 7, 'merge trains nothing');
  assert.deepEqual(outcome(m), outcome(load(join(dir, 'first'))));

  const missing = runCli(['merge', join(dir, 's1'), '--out', join(dir, 'bad-merge')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing 2/);
  assert.equal(existsSync(join(dir, 'bad-merge')), false);
  assert.equal(runCli(['merge', join(dir, 'first')]).code, 2, 'a results folder is not a shard');
  assert.equal(runCli(['run', suite, '--shard', '3/2']).code, 2);
});

test('bad attack settings: one message naming the field and the fix, exit 2, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['odd.yaml', SUITE.replace('{ id: lira, references: 4 }', '{ id: lira, references: 3 }'), /lira.*even number of reference models/],
    [
      'smallpop.yaml',
      SUITE.replace('population: 400', 'population: 100'),
      /lira offline trains each reference model on half of the population \(50 records\).*raise split.population to at least 200/,
    ],
    ['labels.yaml', SUITE.replace('    attacks:', '    api: labels\n    attacks:'), /labels\.yaml:\d+:\d+ .*attacks\[0\]\.id: attack 'loss-threshold' needs output probabilities.*gap, noise-robustness/],
    ['twice.yaml', SUITE.replace('{ id: gap }', '{ id: gap }\n      - { id: gap }'), /two attacks are both called 'gap'/],
    ['fpr.yaml', SUITE.replace('seed: 3', 'seed: 3\nfprs: [0.001, 1.5]'), /fprs\[1\]: Too big/],
  ];
  for (const [name, body, pattern] of cases) {
    const out = join(dir, `out-${name}`);
    const r = runCli(['run', write(name, body), '--out', out]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(existsSync(out), false);
  }
  // A label-only api is fine for label-only attacks.
  const labelOnly = SUITE.replace('    attacks:', '    api: labels\n    attacks:').replace(/ {6}- \{ id: (?!gap|noise).*\n/g, '');
  const r = runCli(['validate', write('label-only.yaml', labelOnly)]);
  assert.equal(r.code, 0, r.stderr);
});
