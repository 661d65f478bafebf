import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { synthetic } from '../../../targets/datasets/synthetic.js';

const load = (options: Record<string, unknown>, seed: number | string = 1) =>
  synthetic.load(synthetic.options.parse(options), { rng: Rng.fromSeed(seed), baseDir: '.' });

/** Each class's prototype estimated by majority vote over its records (exact with ~300 records a class and flip 0.1). */
function majorityPrototypes(features: Float32Array, labels: Int32Array, d: number, classes: number): Uint8Array {
  const ones = new Float64Array(classes * d);
  const counts = new Float64Array(classes);
  labels.forEach((c, i) => {
    counts[c]++;
    for (let j = 0; j < d; j++) ones[c * d + j] += features[i * d + j];
  });
  return Uint8Array.from(ones, (s, k) => (s * 2 > counts[Math.floor(k / d)] ? 1 : 0));
}

test('synthetic: defaults give the Purchase-100-like shape', async () => {
  const ds = await load({});
  assert.equal(ds.n, 4000);
  assert.equal(ds.d, 600);
  assert.equal(ds.numClasses, 100);
  assert.equal(ds.features.length, 4000 * 600);
  assert.equal(ds.labels.length, 4000);
  assert.equal(ds.featureNames.length, 600);
  assert.equal(ds.classNames.length, 100);
  assert.ok(ds.features.every((x) => x === 0 || x === 1));
  assert.ok(ds.labels.every((c) => c >= 0 && c < 100));
  assert.equal(new Set(ds.labels).size, 100);
  assert.equal(ds.imageShape, undefined);
});

test('synthetic: same seed gives the same data, another seed other data', async () => {
  const a = await load({ n: 500, features: 50, classes: 5 }, 'x');
  const b = await load({ n: 500, features: 50, classes: 5 }, 'x');
  const c = await load({ n: 500, features: 50, classes: 5 }, 'y');
  assert.deepEqual(a.features, b.features);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(a.features, c.features);
  assert.notDeepEqual(a.labels, c.labels);
});

test('synthetic: a smaller n is a prefix of a larger one under the same seed', async () => {
  const small = await load({ n: 100, features: 30, classes: 4 });
  const large = await load({ n: 300, features: 30, classes: 4 });
  assert.deepEqual(small.features, large.features.subarray(0, 100 * 30));
  assert.deepEqual(small.labels, large.labels.subarray(0, 100));
});

test('synthetic: records differ from their class prototype at rate flip; prototypes have rate density', async () => {
  const [n, d, classes, flip, density] = [3000, 200, 10, 0.1, 0.3];
  const ds = await load({ n, features: d, classes, flip, density });
  const protos = majorityPrototypes(ds.features, ds.labels, d, classes);
  let flipped = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) flipped += Number(ds.features[i * d + j] !== protos[ds.labels[i] * d + j]);
  }
  // Standard error sqrt(0.09 / 600000) ~ 0.0004.
  assert.ok(Math.abs(flipped / (n * d) - flip) < 0.005, `flip rate ${flipped / (n * d)}`);
  // 2000 prototype bits: standard error ~ 0.01.
  const onRate = protos.reduce((s, b) => s + b, 0) / protos.length;
  assert.ok(Math.abs(onRate - density) < 0.05, `prototype density ${onRate}`);
});

test('synthetic: flip 0 copies prototypes exactly', async () => {
  const ds = await load({ n: 200, features: 40, classes: 3, flip: 0 });
  const first = new Map<number, string>();
  for (let i = 0; i < ds.n; i++) {
    const row = ds.features.subarray(i * 40, (i + 1) * 40).join('');
    const seen = first.get(ds.labels[i]) ?? row;
    first.set(ds.labels[i], seen);
    assert.equal(row, seen);
  }
});

test('synthetic: options are validated', () => {
  assert.throws(() => synthetic.options.parse({ flip: 1.5 }));
  assert.throws(() => synthetic.options.parse({ n: 0 }));
  assert.throws(() => synthetic.options.parse({ features: 2.5 }));
});
