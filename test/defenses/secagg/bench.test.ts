import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secaggBench } from '../../../defenses/secagg/bench.js';

test('secagg bench: PRG vs AES, a full aggregation vs FedAvg, and SecAgg+ vs complete per n', async () => {
  const lines: string[] = [];
  const o = secaggBench.options.parse({ clients: 6, params: 500, expansionWords: 4096, expansionIterations: 2, expansionRounds: 2, scalingClients: [5, 8], scalingParams: 50 });
  const result = await secaggBench.run(o, { backend: 'cpu', log: (l) => lines.push(l) });
  assert.equal(result.id, 'secagg');
  const byName = new Map(result.measures.map((m) => [m.name, m]));
  for (const name of ['mask expansion PRG(seed)', 'mask application y += PRG(seed) mod 2^32']) {
    const m = byName.get(name)!;
    assert.equal(m.unit, 'MB/s');
    assert.ok(m.value > 0 && m.baseline!.value > 0);
    assert.equal(m.ratio, m.baseline!.value / m.value);
  }
  // 6 clients, complete graph: 64 + (4 + 98 * 5) + 4 * 500 + (4 + 37 * 6) bytes up, against 4 * 500.
  const upload = byName.get('client upload, complete graph')!;
  assert.equal(upload.value, 64 + 494 + 2000 + 226);
  assert.equal(upload.ratio, upload.value / 2000);
  assert.ok(byName.get('client compute, SecAgg+ k=4')!.baseline!.label === 'complete graph');
  assert.equal(result.measures.filter((m) => m.name.startsWith('n=')).length, 2 * 3);
  assert.match(result.measures.find((m) => m.name.startsWith('n=8'))!.name, /SecAgg\+ k=6 t=4/);
  assert.equal((result.workload.runs as unknown[]).length, 2 + 2 * 2);
  assert.ok(lines.length > 0);
  assert.deepEqual(Object.keys(secaggBench.options.parse({})), ['clients', 'params', 'expansionWords', 'expansionIterations', 'expansionRounds', 'scalingClients', 'scalingParams']);
});
