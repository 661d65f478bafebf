import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregationBench } from '../../../defenses/robust/bench.js';

test('aggregation bench: every robust rule and both secure graphs against the plain mean, quickselect against sorting', async () => {
  const lines: string[] = [];
  const o = aggregationBench.options.parse({ clients: 24, params: 300, iterations: 1 });
  const result = await aggregationBench.run(o, { backend: 'cpu', log: (l) => lines.push(l) });
  assert.equal(result.id, 'aggregation');
  const names = result.measures.map((m) => m.name);
  assert.deepEqual(names, [
    'server aggregation, mean',
    'server aggregation, median',
    'server aggregation, trimmed-mean(beta=0.1)',
    'server aggregation, krum(f=10)',
    'server aggregation, multi-krum(f=10, m=n-f)',
    'server aggregation, norm-bounded(M=1) > mean',
    'server aggregation, fltrust',
    'coordinate-wise median by quickselect',
    'round with every party simulated, secagg(complete) > mean',
    'round with every party simulated, secagg(secagg+) > mean',
  ]);
  for (const m of result.measures.slice(1)) {
    assert.ok(m.value > 0 && m.baseline!.value > 0, m.name);
    assert.equal(m.ratio, m.value / m.baseline!.value);
  }
  assert.match(result.measures.at(-1)!.note!, /client upload \d+ bytes \(plain: 1200\)/);
  assert.deepEqual(Object.keys(aggregationBench.options.parse({})), ['clients', 'params', 'iterations']);
  assert.ok(lines.length === 3);
});
