import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { maxBits, Quantizer } from '../../../defenses/secagg/quantize.js';

test('maxBits is the largest b with count * (2^b - 1) <= 2^32 - 1', () => {
  for (const count of [1, 2, 3, 10, 100, 1000, 65537]) {
    const b = maxBits(count);
    assert.ok(count * (2 ** b - 1) <= 2 ** 32 - 1, `count ${count}`);
    assert.ok(b === 32 || count * (2 ** (b + 1) - 1) > 2 ** 32 - 1, `count ${count}: ${b + 1} bits would fit too`);
  }
  assert.equal(maxBits(1), 32);
  assert.equal(maxBits(2), 31);
  assert.equal(maxBits(3), 30);
});

test('levels stay in [0, 2^bits - 1], also at the clip edges and at 31-32 bits', () => {
  const rng = Rng.fromSeed('levels');
  for (const bits of [1, 8, 31, 32]) {
    for (const rounding of ['stochastic', 'deterministic'] as const) {
      const q = new Quantizer({ clip: 0.5, bits, rounding });
      const out = q.quantize(Float32Array.from([-1, -0.5, 0, 0.49999997, 0.5, 3, 1e-9]), rng);
      for (const level of out) assert.ok(level >= 0 && level <= q.levels, `${bits} bits ${rounding}: ${level}`);
      assert.equal(out[0], 0);
      assert.equal(out[4], q.levels);
      assert.equal(out[5], q.levels);
    }
  }
});

test('dequantize(sum of levels) is within sumErrorBound of the sum of clipped inputs', () => {
  const rng = Rng.fromSeed('roundtrip');
  for (const rounding of ['stochastic', 'deterministic'] as const) {
    const count = 7;
    const q = new Quantizer({ clip: 2, bits: maxBits(count), rounding });
    const updates = Array.from({ length: count }, () => Float32Array.from({ length: 500 }, () => (rng.uniform() - 0.5) * 5));
    const levels = updates.map((u) => q.quantize(u, rng));
    const sum = Uint32Array.from({ length: 500 }, (_, i) => levels.reduce((s, l) => s + l[i], 0));
    const out = q.dequantize(sum, count);
    for (let i = 0; i < 500; i++) {
      const plain = updates.reduce((s, u) => s + Math.min(2, Math.max(-2, u[i])), 0);
      assert.ok(Math.abs(out[i] - plain) <= q.sumErrorBound(count), `${rounding} coordinate ${i}`);
    }
  }
});

test('stochastic rounding is unbiased; deterministic rounding is to the nearest level', () => {
  const rng = Rng.fromSeed('unbiased');
  const q = new Quantizer({ clip: 1, bits: 3, rounding: 'stochastic' });
  // 0.1 sits at level 3.85 of 7 (scale 3.5): stochastic gives 3 or 4 with mean 3.85.
  const levels = q.quantize(new Float32Array(20000).fill(0.1), rng);
  const mean = levels.reduce((s, l) => s + l, 0) / levels.length;
  assert.ok(levels.every((l) => l === 3 || l === 4));
  assert.ok(Math.abs(mean - 3.85) < 0.02, `mean level ${mean}`);
  const nearest = new Quantizer({ clip: 1, bits: 3, rounding: 'deterministic' });
  assert.deepEqual([...nearest.quantize(Float32Array.from([0.1, -0.1]), rng)], [4, 3]);
});

test('the L2 clip scales a long update down to the given norm before the coordinate clip', () => {
  const rng = Rng.fromSeed('l2');
  const q = new Quantizer({ clip: 10, l2Clip: 1, bits: 24, rounding: 'deterministic' });
  const out = q.dequantize(q.quantize(Float32Array.from([3, 4]), rng), 1);
  assert.ok(Math.abs(out[0] - 0.6) < 1e-5 && Math.abs(out[1] - 0.8) < 1e-5, `${out}`);
  const short = q.dequantize(q.quantize(Float32Array.from([0.3, 0.4]), rng), 1);
  assert.ok(Math.abs(short[0] - 0.3) < 1e-5 && Math.abs(short[1] - 0.4) < 1e-5, 'a short update is not scaled');
});

test('non-finite coordinates and a wrapping count are refused', () => {
  const q = new Quantizer({ clip: 1, bits: 31, rounding: 'deterministic' });
  assert.throws(() => q.quantize(Float32Array.from([0, NaN]), Rng.fromSeed(1)), /coordinate 1 is NaN/);
  assert.throws(() => q.dequantize(new Uint32Array(1), 3), /can wrap/);
  assert.throws(() => new Quantizer({ clip: 0, bits: 8, rounding: 'deterministic' }), /clip must be a positive number/);
});
