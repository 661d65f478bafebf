import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../targets/backend.js';
import { federatedBench } from '../../../targets/federated/bench.js';

test('federated bench: FedAvg IID and Dirichlet against central per dataset, networked rounds against in-process and projections', async () => {
  const backend = await selectBackend('wasm');
  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const o = federatedBench.options.parse({
    synthetic: { n: 300, features: 20, classes: 4 },
    syntheticModel: { id: 'logistic' },
    mnist: { n: 200 },
    clients: 3,
    rounds: 2,
    networkClients: 2,
    networkRounds: 2,
  });
  const result = await federatedBench.run(o, { backend, log: (l) => lines.push(l) });
  assert.equal(result.id, 'federated');
  const accuracy = result.measures.filter((m) => m.unit === 'accuracy');
  assert.deepEqual(
    accuracy.map((m) => m.name),
    ['synthetic: FedAvg IID', 'synthetic: FedAvg Dirichlet(0.1)', 'mnist: FedAvg IID', 'mnist: FedAvg Dirichlet(0.1)'].map((n) => `${n} test accuracy after 2 rounds`),
  );
  for (const m of accuracy) {
    assert.ok(m.value >= 0 && m.value <= 1 && m.baseline!.label === 'central training, 2 epochs');
    assert.equal(m.ratio, m.baseline!.value / m.value);
  }
  const curves = result.workload.curves as Record<string, number[]>;
  assert.equal(curves['mnist FedAvg IID (per round)'].length, 2);
  assert.equal(curves['synthetic central (per epoch)'].length, 2);
  const times = result.measures.filter((m) => m.unit === 'ms/round');
  assert.deepEqual(
    times.map((m) => m.name),
    ['round time, 2 client processes on loopback TCP', 'projected round time on lan (1 ms, 1000 Mbit/s)', 'projected round time on wan (50 ms, 20 Mbit/s)'],
  );
  assert.ok(times.every((m) => m.value > 0 && m.baseline!.value > 0));
  assert.ok(times[2].value > times[1].value, 'a wan round takes longer than a lan one');
  assert.ok(lines.length >= 7);
  assert.equal(tf.memory().numTensors, before);
});
