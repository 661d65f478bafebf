import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsSchema } from '../../core/results.js';
import { fileWriter, runCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-fl-'));
const write = fileWriter(dir);

const SUITE = `name: fl
seed: 2
experiments:
  - name: fedavg
    dataset: { id: synthetic, n: 1200, features: 60, classes: 5, flip: 0.2 }
    split: { members: 400, nonMembers: 200, population: 400, test: 200 }
    model: { id: mlp, hidden: [16] }
    federated: { clients: 5, rounds: 4, localEpochs: 1, localLearningRate: 0.2, localBatchSize: 20 }
    attacks: [ { id: loss-threshold }, { id: rmia, references: 2 } ]
    matrix:
      federated.secureAggregation: [false, true]
`;

test('a federated suite: what the server sees, per-round accuracy, bytes and projected time, in results and report', () => {
  const out = join(dir, 'out');
  const r = runCli(['run', write('fl.yaml', SUITE), '--out', out, '--no-cache', '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  const results = resultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
  const [plain, secure] = results.experiments;
  for (const e of [plain, secure]) {
    const f = e.federated!;
    assert.equal(f.clients, 5);
    assert.equal(f.rounds, 4);
    assert.equal(f.curve.length, 4);
    assert.ok(f.curve[3].accuracy > 0.4, `FedAvg learns: ${f.curve[3].accuracy}`);
    assert.equal(f.participation.meanSampled, 5);
    assert.ok(f.costs.upBytesPerClient > 4 * e.model.parameters, 'a client uploads at least its update');
    assert.ok(f.costs.projectedMsPerRound > 0 && f.costs.measuredMsPerRound > 0);
    assert.equal(e.attacks.length, 2);
  }
  assert.equal(plain.federated!.serverSees, 'updates');
  assert.equal(secure.federated!.serverSees, 'sum');
  assert.deepEqual(secure.configuration.defenses, ['secure-aggregation']);
  assert.ok(plain.threatModel.observations.some((o) => o.startsWith('clientUpdates')));
  assert.ok(!secure.threatModel.observations.some((o) => o.startsWith('clientUpdates')), 'under secure aggregation no client update is observed');
  assert.ok(secure.federated!.costs.messagesPerRound > plain.federated!.costs.messagesPerRound, 'the protocol costs messages');
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal(html.match(/<h3>Federated training<\/h3>/g)?.length, 2);
  assert.match(html, /the server sees only the sum of each round/);
});

test('DP-FedAvg on a federated experiment: user-level epsilon from the accountant, clipping recorded, central and local', () => {
  const body = SUITE.replace('    matrix:\n      federated.secureAggregation: [false, true]\n', '    dp: { epsilon: 4, clip: 0.5 }\n    matrix:\n      dp.mode: [central, local]\n');
  const out = join(dir, 'out-dp');
  const r = runCli(['run', write('fl-dp.yaml', body), '--out', out, '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  const results = resultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
  for (const [e, mode] of results.experiments.map((e, i) => [e, ['central', 'local'][i]] as const)) {
    const p = e.privacy!;
    assert.equal(p.mechanism, 'dp-fedavg');
    assert.equal(p.mode, mode);
    assert.ok(p.epsilon <= 4 && p.epsilon > 3.9, `${p.epsilon}`);
    assert.equal(p.steps, 4, 'rounds are the steps');
    assert.equal(p.sampleRate, 1);
    assert.ok(p.clippedFraction! >= 0 && p.clippedFraction! <= 1);
    assert.deepEqual(e.configuration.defenses, ['dp-fedavg']);
    assert.match(e.threatModel.summary, /User-level DP-FedAvg/);
  }
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /DP-FedAvg, central: protects each client/);
});

test('FLTrust gets its root dataset from the server\'s own records (population, never a candidate)', () => {
  const body = SUITE.replace('localBatchSize: 20 }', 'localBatchSize: 20, aggregator: { id: fltrust }, rootRecords: 50 }').replace(/ {4}matrix:\n.*\n/, '');
  const out = join(dir, 'out-fltrust');
  const r = runCli(['run', write('fltrust.yaml', body), '--out', out, '--no-cache']);
  assert.equal(r.code, 0, r.stderr);
  const e = resultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).experiments[0];
  assert.match(e.federated!.aggregator, /fltrust/);
  assert.ok(e.federated!.curve.at(-1)!.accuracy > 0.4);
});

test('bad federated settings: one message naming the field, exit 2, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['alpha.yaml', SUITE.replace('localBatchSize: 20 }', 'localBatchSize: 20, partition: { kind: dirichlet, alpha: 0 } }'), /federated\.partition\.alpha: alpha must be a number > 0/],
    ['many.yaml', SUITE.replace('clients: 5,', 'clients: 500,'), /500 clients but only 400 training records/],
    ['krum.yaml', SUITE.replace('localBatchSize: 20 }', 'localBatchSize: 20, aggregator: { id: krum, options: { f: 3 } } }').replace(/ {4}matrix:\n.*\n/, ''), /Krum with f=3 needs more than 2f \+ 2 = 8 updates/],
    ['secagg-median.yaml', SUITE.replace('localBatchSize: 20 }', 'localBatchSize: 20, aggregator: { id: median } }'), /secure/],
    ['threshold.yaml', SUITE.replace('[false, true]', '[{ threshold: 9 }]'), /threshold/],
  ];
  for (const [name, body, pattern] of cases) {
    const out = join(dir, `out-${name}`);
    const r = runCli(['run', write(name, body), '--out', out, '--no-cache']);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern, name);
    assert.equal(existsSync(out), false);
  }
});
