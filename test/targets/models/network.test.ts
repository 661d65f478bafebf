import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { PACKAGE_ROOT } from '../../../core/version.js';
import { selectBackend } from '../../../targets/backend.js';
import { cnn } from '../../../targets/models/cnn.js';
import { models } from '../../../targets/models/index.js';
import { mlp } from '../../../targets/models/mlp.js';
import { crossEntropySum } from '../../../targets/models/network.js';

/** Files of targets/models that are building blocks, not model plugins. */
const NOT_PLUGINS = new Set(['activation', 'conv2d', 'dense', 'flatten', 'index', 'layer', 'network', 'types']);

test('model registry lists exactly the plugin files of targets/models', async () => {
  const files = readdirSync(join(PACKAGE_ROOT, 'targets', 'models'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .filter((name) => !NOT_PLUGINS.has(name));
  assert.deepEqual([...models.ids()].sort(), files.sort());
  for (const name of files) {
    const mod = (await import(`../../../targets/models/${name}.js`)) as Record<string, unknown>;
    const defs = Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'id' in v);
    assert.equal(defs.length, 1, `${name}.ts exports one definition`);
    assert.equal(models.get(name), defs[0]);
  }
});

test('cnn refuses a dataset without an image shape', async () => {
  await selectBackend('cpu');
  assert.throws(() => cnn.build({ d: 20, numClasses: 3 }, cnn.options.parse({}), Rng.fromSeed(1)), InputError);
});

test('mlp: parameter count and description follow the layer sizes', async () => {
  await selectBackend('cpu');
  const net = mlp.build({ d: 10, numClasses: 4 }, mlp.options.parse({ hidden: [6, 5], activation: 'relu' }), Rng.fromSeed(1));
  assert.equal(net.parameterCount(), 10 * 6 + 6 + 6 * 5 + 5 + 5 * 4 + 4);
  assert.equal(net.describe(), 'dense 10->6 > relu > dense 6->5 > relu > dense 5->4');
  assert.deepEqual(net.inputShape, [10]);
  assert.equal(net.numClasses, 4);
  net.dispose();
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: getWeights/setWeights round-trip gives the same predictions`, async () => {
    await selectBackend(backend);
    const build = (seed: number) =>
      cnn.build({ d: 64, numClasses: 3, imageShape: [8, 8, 1] }, cnn.options.parse({ filters: 2, kernel: 3, hidden: 4 }), Rng.fromSeed(seed));
    const a = build(1);
    const b = build(2);
    const x = tf.randomNormal([3, 64]) as tf.Tensor2D;
    const logits = (n: typeof a) => tf.tidy(() => n.logits(x).arraySync());
    assert.notDeepEqual(logits(a), logits(b));
    const weights = await a.getWeights();
    b.setWeights(weights);
    assert.deepEqual(await b.getWeights(), weights);
    assert.deepEqual(logits(b), logits(a));
    // The model holds copies: changing the arrays afterwards changes nothing.
    weights.forEach((w) => w.fill(0));
    assert.deepEqual(logits(b), logits(a));
    assert.throws(() => b.setWeights(weights.slice(1)), RangeError);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });
}

test('crossEntropySum matches logSoftmax and stays finite when softmax underflows', async () => {
  await selectBackend('cpu');
  const logits = tf.tensor2d([
    [1, 2, 3],
    [0.5, -1, 0],
    [200, 0, -200],
  ]);
  const y = tf.tensor2d([
    [0, 0, 1],
    [1, 0, 0],
    [0, 0, 1],
  ]);
  const head = (t: tf.Tensor2D) => tf.slice(t, [0, 0], [2, -1]);
  const ours = tf.tidy(() => crossEntropySum(tf.softmax(head(logits)), head(y)).dataSync()[0]);
  const exact = tf.tidy(() => tf.neg(tf.sum(tf.mul(head(y), tf.logSoftmax(head(logits))))).dataSync()[0]);
  assert.ok(Math.abs(ours - exact) < 1e-5, `${ours} vs ${exact}`);
  // The third row's true loss is 400 nats; float32 softmax gives p = 0 and the cap applies.
  const capped = tf.tidy(() => crossEntropySum(tf.softmax(logits), y).dataSync()[0]);
  assert.ok(Number.isFinite(capped) && capped - exact > 87 && capped - exact < 88, `capped at ${capped - exact}`);
  tf.dispose([logits, y]);
});
