import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/rng.js';
import { readWasm } from '../../core/wasm.js';
import { fillZiggurat, type WordStream } from '../../core/ziggurat.js';
import { BLOCK, compressTable, zigguratSource } from '../../core/ziggurat-wat.js';

test('the wasm exp the wedge test uses agrees with Math.exp to 1 ulp over its range', () => {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readWasm(zigguratSource)), { math: { log: Math.log } });
  const exp = exports.exp as (t: number) => number;
  let worst = 0;
  // The wedge needs t = -x^2/2 for |x| up to the tail start R = 3.4426.
  for (let t = -6; t <= 0; t += 1 / 1024) worst = Math.max(worst, Math.abs(exp(t) - Math.exp(t)) / Math.exp(t));
  assert.ok(worst <= 2.3e-16, `max relative error ${worst}`);
  assert.equal(exp(0), 1);
});

test('the compress table packs each mask’s lanes low', () => {
  const t = compressTable();
  assert.deepEqual([...t.subarray(4 * 0b1010, 4 * 0b1010 + 2)], [1, 3]);
  assert.deepEqual([...t.subarray(4 * 0b1111, 4 * 0b1111 + 4)], [0, 1, 2, 3]);
});

test('fillNormal is deterministic in the seed and continues the stream the same way', () => {
  const a = Rng.fromSeed('zig');
  const b = Rng.fromSeed('zig');
  // One call across several blocks equals the same draws from a same-seeded stream.
  assert.deepEqual(a.fillNormal(new Float32Array(3 * BLOCK + 5), 2), b.fillNormal(new Float32Array(3 * BLOCK + 5), 2));
  assert.equal(a.uint32(), b.uint32());
});

test('a slow path that runs its pool dry draws another and still finishes every draw', () => {
  // Every main word lands in layer 1, whose fast test always fails. The first pool's words
  // make each wedge test reject (u = 1) and redraw another layer-1 word, so the pool runs
  // dry; the stream is random after that.
  const n = 300;
  const layerOne = (i: number) => (((i % 1000) + 1) << 7) | 1;
  const random = Rng.fromSeed('after');
  let offset = 0;
  let pools = 0;
  const words: WordStream = (bytes, sink) => {
    let piece: Uint8Array;
    if (offset === 0) {
      piece = new Uint8Array(Int32Array.from({ length: bytes / 4 }, (_, i) => layerOne(i)).buffer);
    } else if (pools++ === 0) {
      // Triples (two zero words: u = 1; then a layer-1 word).
      piece = new Uint8Array(Int32Array.from({ length: bytes / 4 }, (_, i) => (i % 3 === 2 ? layerOne(i) : 0)).buffer);
    } else {
      piece = random.bytes(bytes);
    }
    offset += bytes;
    sink(piece);
  };
  const out = new Float32Array(n);
  fillZiggurat(out, 1, words);
  assert.ok(pools >= 2, `pools drawn: ${pools}`);
  assert.ok(out.every((v) => Number.isFinite(v) && v !== 0), `values ${out.slice(0, 5)}`);
  assert.ok(new Set(out).size > n / 2);
});
