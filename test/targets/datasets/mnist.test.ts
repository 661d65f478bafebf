import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { mnist } from '../../../targets/datasets/mnist.js';

const load = (options: Record<string, unknown>, seed: number | string = 1) =>
  mnist.load(mnist.options.parse(options), { rng: Rng.fromSeed(seed), baseDir: '.' });

const classCounts = (labels: Int32Array): number[] => {
  const counts = new Array<number>(10).fill(0);
  for (const c of labels) counts[c]++;
  return counts;
};

test('mnist: default 2000 images, 784 pixels in [0,1], 10 balanced classes', async () => {
  const ds = await load({});
  assert.equal(ds.n, 2000);
  assert.equal(ds.d, 784);
  assert.equal(ds.features.length, 2000 * 784);
  assert.deepEqual(ds.imageShape, [28, 28, 1]);
  assert.equal(ds.numClasses, 10);
  assert.deepEqual(ds.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(ds.featureNames.length, 784);
  assert.ok(ds.features.every((x) => x >= 0 && x <= 1));
  assert.ok(ds.features.some((x) => x > 0.5), 'images have ink');
  assert.deepEqual(classCounts(ds.labels), new Array(10).fill(200));
});

test('mnist: selection is deterministic for a seed and differs across seeds', async () => {
  const a = await load({ n: 50 }, 'a');
  const b = await load({ n: 50 }, 'a');
  const c = await load({ n: 50 }, 'b');
  assert.deepEqual(a.features, b.features);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(a.features, c.features);
});

test('mnist: counts stay within one of each other until a digit runs out', async () => {
  const counts = classCounts((await load({ n: 1005 })).labels);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, String(counts));
});

test('mnist: n may take every bundled image, but no more', async () => {
  const all = await load({ n: 10000 });
  assert.deepEqual(classCounts(all.labels), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  await assert.rejects(load({ n: 10001 }), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.location.field, 'dataset.n');
    assert.match(err.message, /only 10000 images/);
    return true;
  });
});
