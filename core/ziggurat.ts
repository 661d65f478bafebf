/**
 * Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat Method
 * for Generating Random Variables", with 128 layers): ~97% of draws cost a table lookup, a
 * multiply and a compare, the rest an exact rejection step, so the output is an exact Gaussian
 * tails included. As Doornik (2005, "An Improved Ziggurat Method") advises, the layer index
 * and the value take disjoint bits of the random word (7 and 25), so they are independent; 25
 * signed bits are float32's full precision (24-bit significand and sign).
 * DP-SGD draws one of these per weight per step; Box-Muller's log, sqrt and cos made noise cost
 * as much as the training step itself. Both paths run in wasm (core/ziggurat-wat.ts).
 */
import { readWasm } from './wasm.js';
import { BLOCK, compressTable, LAYOUT, POOL_PER_MISS, POOL_SLACK, zigguratSource } from './ziggurat-wat.js';

const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const M = 2 ** 24;

const K = new Float64Array(128); // |value| below K[i] is inside layer i's rectangle
const W = new Float64Array(128); // value -> x scale of layer i
const F = new Float64Array(128); // density at layer i's edge

{
  let d = R;
  let t = d;
  const q = V / Math.exp(-0.5 * d * d);
  K[0] = (d / q) * M;
  K[1] = 0;
  W[0] = q / M;
  W[127] = d / M;
  F[0] = 1;
  F[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(V / d + Math.exp(-0.5 * d * d)));
    K[i + 1] = (d / t) * M;
    t = d;
    F[i] = Math.exp(-0.5 * d * d);
    W[i] = d / M;
  }
}

/** Supplies the next `bytes` random bytes to `sink`, in order, in pieces. */
export type WordStream = (bytes: number, sink: (piece: Uint8Array) => void) => void;

interface Ziggurat {
  fast(n: number, std: number): number;
  finish(misses: number, from: number, pool: number, std: number): number;
  memory: WebAssembly.Memory;
}

let instance: Ziggurat | undefined;

function ziggurat(): Ziggurat {
  if (!instance) {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readWasm(zigguratSource)), { math: { log: Math.log } });
    const memory = exports.memory as WebAssembly.Memory;
    new Int32Array(memory.buffer, LAYOUT.k, 128).set(K.map(Math.ceil));
    new Float64Array(memory.buffer, LAYOUT.w, 128).set(W);
    new Float64Array(memory.buffer, LAYOUT.f, 128).set(F);
    new Int32Array(memory.buffer, LAYOUT.compress, 64).set(compressTable());
    instance = { fast: exports.fast as Ziggurat['fast'], finish: exports.finish as Ziggurat['finish'], memory };
  }
  return instance;
}

/** Copies the next `bytes` bytes of the stream into the module's memory at `at`. */
function load(memory: WebAssembly.Memory, at: number, bytes: number, words: WordStream): void {
  const heap = new Uint8Array(memory.buffer);
  let filled = at;
  words(bytes, (piece) => {
    heap.set(piece, filled);
    filled += piece.length;
  });
}

/**
 * Fills `out` with N(0, std^2), block by block: a 32-bit word from `words` per output (the low
 * 7 bits pick the layer, the high 25, signed, place the value), then, for the few that fail
 * the fast test, a pool of extra words for the exact slow path. Deterministic in the stream.
 */
export function fillZiggurat(out: Float32Array, std: number, words: WordStream): void {
  const { fast, finish, memory } = ziggurat();
  for (let start = 0; start < out.length; start += BLOCK) {
    const n = Math.min(BLOCK, out.length - start);
    load(memory, LAYOUT.words, 4 * n, words);
    const misses = fast(n, std);
    for (let done = 0; done < misses; ) {
      const pool = POOL_SLACK + POOL_PER_MISS * (misses - done);
      load(memory, LAYOUT.pool, 4 * pool, words);
      done = finish(misses, done, pool, std);
    }
    out.set(new Float32Array(memory.buffer, LAYOUT.out, n), start);
  }
}
