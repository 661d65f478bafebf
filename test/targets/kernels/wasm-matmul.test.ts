import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/rng.js';
import { backendChoiceOf, selectBackend } from '../../../targets/backend.js';
import { readWasm } from '../../../core/wasm.js';
import { gemmScratchBytes, gemmSources, MR, NR } from '../../../targets/kernels/gemm-wat.js';

/** Row-major values in [-1, 1). */
function values(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.uniform() * 2 - 1);
}

/** op(A)·op(B) for one matrix pair, in float64. */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
      c[i * n + j] = s;
    }
  }
  return c;
}

function assertClose(actual: Float32Array, expected: Float64Array, k: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  // float32 accumulation over k terms of magnitude <= 1.
  const tol = 4e-7 * Math.max(k, 1) + 1e-6;
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

test('selecting wasm installs the project matMul kernel and names it in the backend label', async () => {
  const label = await selectBackend('wasm');
  assert.match(label, /^wasm\+gemm-(fma|simd)$/);
  // Worker threads and merges select the same backend again from the label.
  assert.equal(backendChoiceOf(label), 'wasm');
  assert.equal(backendChoiceOf('cpu'), 'cpu');
  assert.throws(() => backendChoiceOf('webgpu'), /unknown backend 'webgpu'/);
});

test('matMul matches a float64 product for every transpose and for edge shapes around the tile sizes', async () => {
  await selectBackend('wasm');
  const rng = Rng.fromSeed('wasm-matmul');
  const dims = [1, MR - 1, MR, MR + 1, NR + 3, 2 * NR, 140];
  let cases = 0;
  for (const m of dims) {
    for (const n of [1, 3, NR, NR + 1, 20]) {
      for (const k of [1, 7, 33]) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            const a = values(rng, m * k);
            const b = values(rng, k * n);
            const got = tf.tidy(() => tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb));
            assert.deepEqual(got.shape, [m, n]);
            assertClose(got.dataSync() as Float32Array, reference(a, b, m, n, k, ta, tb), k, `m=${m} n=${n} k=${k} ta=${ta} tb=${tb}`);
            got.dispose();
            cases++;
          }
        }
      }
    }
  }
  assert.equal(cases, 7 * 5 * 3 * 4);
});

test('matMul covers the training shapes, an empty inner dimension and batches broadcast against one matrix', async () => {
  await selectBackend('wasm');
  const rng = Rng.fromSeed('wasm-matmul-shapes');
  // x·W, xᵀ·dy and dy·Wᵀ of a 600-256 layer on a batch of 128.
  for (const [m, n, k, ta, tb] of [[128, 256, 600, false, false], [600, 256, 128, true, false], [128, 600, 256, false, true]] as const) {
    const a = values(rng, m * k);
    const b = values(rng, k * n);
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb));
    assertClose(got.dataSync() as Float32Array, reference(a, b, m, n, k, ta, tb), k, `${m}x${n}x${k}`);
    got.dispose();
  }
  const empty = tf.tidy(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 5])));
  assert.deepEqual(Array.from(empty.dataSync()), new Array(15).fill(0));
  empty.dispose();

  const [batch, m, n, k] = [3, 7, 9, 5];
  const a = values(rng, batch * m * k);
  const b = values(rng, k * n);
  for (const bShape of [[k, n], [1, k, n]]) {
    const got = tf.tidy(() => {
      const right: tf.Tensor = tf.tensor(b, bShape);
      return tf.matMul(tf.tensor3d(a, [batch, m, k]), right);
    });
    assert.deepEqual(got.shape, [batch, m, n]);
    const data = got.dataSync() as Float32Array;
    for (let i = 0; i < batch; i++) {
      const expected = reference(a.subarray(i * m * k, (i + 1) * m * k), b, m, n, k, false, false);
      assertClose(data.subarray(i * m * n, (i + 1) * m * n), expected, k, `batch ${i}`);
    }
    got.dispose();
  }
  // Two batches of different matrices pair up one to one.
  const b2 = values(rng, batch * k * n);
  const got = tf.tidy(() => tf.matMul(tf.tensor3d(a, [batch, m, k]), tf.tensor3d(b2, [batch, n, k]), false, true));
  const data = got.dataSync() as Float32Array;
  for (let i = 0; i < batch; i++) {
    const expected = reference(a.subarray(i * m * k), b2.subarray(i * k * n), m, n, k, false, true);
    assertClose(data.subarray(i * m * n, (i + 1) * m * n), expected, k, `paired batch ${i}`);
  }
  got.dispose();
});

test('matMul leaves no tensor or heap growth behind over many calls', async () => {
  await selectBackend('wasm');
  const rng = Rng.fromSeed('wasm-matmul-leak');
  const a = tf.tensor2d(values(rng, 64 * 40), [64, 40]);
  const b = tf.tensor2d(values(rng, 40 * 30), [40, 30]);
  const run = () => tf.tidy(() => tf.matMul(a, b, false, false).dataSync());
  run();
  const before = tf.memory().numTensors;
  const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  for (let i = 0; i < 200; i++) run();
  assert.equal(tf.memory().numTensors, before);
  assert.equal((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length, heap);
  tf.dispose([a, b]);
});

test('both kernel variants compute the same products on their own memory, the multiply-add one included', async () => {
  const rng = Rng.fromSeed('wasm-matmul-variants');
  const [m, n, k] = [13, 19, 29];
  const memory = new WebAssembly.Memory({ initial: 4 });
  for (const variant of ['simd', 'fma'] as const) {
    if (variant === 'fma' && !WebAssembly.validate(readWasm(gemmSources.fma))) continue; // selecting wasm sets the flag
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readWasm(gemmSources[variant])), { env: { memory } });
    const gemm = exports.gemm as (...args: number[]) => void;
    if (variant === 'fma') {
      // Fused (2^-24) on CPUs with FMA, rounded twice (0) elsewhere; the label follows it.
      const probe = (exports.fused as (a: number, b: number, c: number) => number)(1 + 2 ** -12, 1 + 2 ** -12, -(1 + 2 ** -11));
      assert.ok(probe === 2 ** -24 || probe === 0, `probe ${probe}`);
      assert.equal(await selectBackend('wasm'), probe ? 'wasm+gemm-fma' : 'wasm+gemm-simd');
    }
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = values(rng, m * k);
      const b = values(rng, k * n);
      const heap = new Float32Array(memory.buffer);
      const [pa, pb, pc, scratch] = [0, 4096, 8192, 16384];
      heap.set(a, pa / 4);
      heap.set(b, pb / 4);
      assert.ok(scratch + gemmScratchBytes(k, n) <= memory.buffer.byteLength);
      gemm(pa, pb, pc, m, n, k, ta ? 1 : 0, tb ? 1 : 0, scratch);
      assertClose(heap.slice(pc / 4, pc / 4 + m * n), reference(a, b, m, n, k, ta, tb), k, `${variant} ta=${ta} tb=${tb}`);
    }
  }
});
