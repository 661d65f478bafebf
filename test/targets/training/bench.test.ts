import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../targets/backend.js';
import { trainingBench } from '../../../targets/training/bench.js';

test('training bench: without peers it says so and gives no ratio; the norms measure is relative to a step', async () => {
  const backend = await selectBackend('wasm');
  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const options = trainingBench.options.parse({ n: 200, d: 12, hidden: [8], classes: 3, batch: 32, epochs: 2, warmupEpochs: 0 });
  const result = await trainingBench.run(options, { backend, peersDir: undefined, log: (l) => lines.push(l) });
  assert.equal(result.id, 'training');
  assert.equal(result.backend, backend);
  const [throughput, norms] = result.measures;
  assert.equal(throughput.unit, 'samples/s');
  assert.ok(throughput.value > 0);
  assert.equal(throughput.ratio, undefined);
  assert.equal(throughput.baseline, undefined);
  assert.match(throughput.note ?? '', /PyTorch peer not run/);
  assert.equal(norms.unit, 'ms/batch');
  assert.ok(norms.value > 0 && norms.baseline !== undefined && norms.baseline.value > 0);
  assert.equal(norms.ratio, norms.value / norms.baseline.value);
  assert.deepEqual(trainingBench.options.parse({}), { n: 10000, d: 600, hidden: [256], classes: 100, batch: 128, epochs: 2, warmupEpochs: 1 });
  assert.ok(lines.length > 0);
  assert.equal(tf.memory().numTensors, before);
});
