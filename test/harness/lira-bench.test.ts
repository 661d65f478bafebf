import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liraBench } from '../../harness/lira-bench.js';
import { selectBackend } from '../../targets/backend.js';

// Two workers: the pool's threads select their backend again from the label the bench records.
test('the LiRA bench measures a cold run against one model and a cached rerun against the cold run', async () => {
  const backend = await selectBackend('wasm');
  const r = await liraBench.run(liraBench.options.parse({ references: 2, members: 200, epochs: 2, workers: 2 }), { backend, log: () => undefined });
  assert.deepEqual(
    r.measures.map((m) => m.name),
    ['cold run', 'cached rerun'],
  );
  for (const m of r.measures) {
    assert.ok(m.value > 0 && m.baseline!.value > 0);
    assert.ok(Math.abs(m.ratio! - m.value / m.baseline!.value) < 1e-12);
  }
  assert.equal(r.workload.models, 3);
});
