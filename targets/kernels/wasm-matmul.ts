import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import { readWasm } from '../../core/wasm.js';
import { gemmScratchBytes, gemmSources, type GemmVariant } from './gemm-wat.js';

/** The parts of the wasm backend this kernel touches (its heap and tensor table). */
interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

type Gemm = (a: number, b: number, c: number, m: number, n: number, k: number, ta: number, tb: number, scratch: number) => void;

/**
 * The fastest kernel this engine runs, on `memory`. Relaxed SIMD ships in V8 11.4 (Node 22);
 * Node 20's V8 has it behind a flag, read when a module is validated, so setting it now is
 * enough. The fused variant is kept only where its multiply-adds really fuse: elsewhere its
 * arithmetic is the plain variant's, and the label must say which rounding ran.
 */
function instantiate(memory: WebAssembly.Memory): { gemm: Gemm; variant: GemmVariant } {
  const fma = readWasm(gemmSources.fma);
  if (!WebAssembly.validate(fma)) setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (WebAssembly.validate(fma)) {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(fma), { env: { memory } });
    const fused = exports.fused as (a: number, b: number, c: number) => number;
    if (fused(1 + 2 ** -12, 1 + 2 ** -12, -(1 + 2 ** -11)) !== 0) return { gemm: exports.gemm as Gemm, variant: 'fma' };
  }
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readWasm(gemmSources.simd)), { env: { memory } });
  return { gemm: exports.gemm as Gemm, variant: 'simd' };
}

let installed: GemmVariant | undefined;

/**
 * Replaces the wasm backend's BatchMatMul with this project's kernel, which works on tensors
 * in the backend's own heap. Shapes it does not cover (non-float32, batch broadcasting other
 * than against a single matrix) go to the original kernel. Call after the wasm backend is
 * ready; returns the variant in use, which the backend label records.
 */
export function installWasmMatMul(): GemmVariant {
  if (installed) return installed;
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!backend || !original) throw new Error('the wasm backend is not initialised');
  const { gemm, variant } = instantiate(backend.wasm.asm.memory);
  let scratch = { ptr: 0, bytes: 0 };

  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const outer = (t: tf.TensorInfo) => t.shape.slice(0, -2);
    const batchA = tf.util.sizeFromShape(outer(a));
    const batchB = tf.util.sizeFromShape(outer(b));
    const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(outer(a), outer(b));
    const batch = tf.util.sizeFromShape(outOuter);
    const simpleBatch = batchA === batchB || batchA === 1 || batchB === 1;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !simpleBatch || batch !== Math.max(batchA, batchB)) {
      return original.kernelFunc(args);
    }
    const [ra, ca] = a.shape.slice(-2);
    const [rb, cb] = b.shape.slice(-2);
    const [m, k] = transposeA ? [ca, ra] : [ra, ca];
    const [kb, n] = transposeB ? [cb, rb] : [rb, cb];
    if (k !== kb) {
      throw new Error(`matMul: inner shapes ${k} and ${kb} of tensors with shapes ${a.shape} and ${b.shape} (transposeA=${transposeA}, transposeB=${transposeB}) must match`);
    }
    const out = backend.makeOutput([...outOuter, m, n], 'float32');
    const need = gemmScratchBytes(k, n);
    if (need > scratch.bytes) {
      if (scratch.ptr) backend.wasm._free(scratch.ptr);
      scratch = { ptr: backend.wasm._malloc(need), bytes: need };
    }
    // Offsets are read after the allocations above: growing the heap does not move tensors.
    const offset = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
    const [pa, pb, pc] = [offset(a), offset(b), offset(out)];
    const strideA = batchA === 1 ? 0 : 4 * m * k;
    const strideB = batchB === 1 ? 0 : 4 * k * n;
    for (let i = 0; i < batch; i++) {
      gemm(pa + i * strideA, pb + i * strideB, pc + i * 4 * m * n, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, scratch.ptr);
    }
    return out;
  };

  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  installed = variant;
  return variant;
}
