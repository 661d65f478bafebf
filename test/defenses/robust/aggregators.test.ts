import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { columnwise, select } from '../../../defenses/robust/columns.js';
import { buildAggregator } from '../../../defenses/robust/index.js';
import { krumScores, pairwiseSquaredDistances } from '../../../defenses/robust/krum-scores.js';
import { contextWith, updatesOf } from './fixtures.js';

const run = (spec: Parameters<typeof buildAggregator>[0], rows: number[][], examples?: number[], server?: number[]) =>
  buildAggregator(spec).aggregate(updatesOf(rows, examples), contextWith(server));

const close = (actual: Float32Array, expected: number[], tol = 1e-6) =>
  assert.ok(
    expected.every((v, i) => Math.abs(actual[i] - v) <= tol * Math.max(1, Math.abs(v))),
    `${Array.from(actual)} vs ${expected}`,
  );

const inputError = (field: string, message: RegExp) => (e: unknown) => e instanceof InputError && e.location.field === field && message.test(e.message);

test('mean: the example-weighted mean, exactly as float64 arithmetic rounded once to float32', async () => {
  const out = await run({ id: 'mean' }, [[1, 2, -0.1], [3, 4, 0.2], [5, 6, 0.3]], [1, 2, 3]);
  assert.deepEqual(out.update, Float32Array.from([22 / 6, 28 / 6, (Math.fround(-0.1) + 2 * Math.fround(0.2) + 3 * Math.fround(0.3)) / 6]));
  assert.deepEqual(out.included, [0, 1, 2]);
});

test('median and trimmed mean on hand-computed columns, odd and even n', async () => {
  const rows = [[1, -5, 0], [9, 0, 0], [3, 2, 0], [4, 7, 1], [100, -1, 0]];
  assert.deepEqual((await run({ id: 'median' }, rows)).update, Float32Array.from([4, 0, 0]));
  assert.deepEqual((await run({ id: 'median' }, rows.slice(0, 4))).update, Float32Array.from([3.5, 1, 0]));
  // beta 0.2 of 5 trims one value from each end: (3 + 4 + 9) / 3, (-1 + 0 + 2) / 3, 0.
  close((await run({ id: 'trimmed-mean', options: { beta: 0.2 } }, rows)).update, [16 / 3, 1 / 3, 0]);
  // beta 0 is the plain mean.
  close((await run({ id: 'trimmed-mean', options: { beta: 0 } }, rows)).update, [117 / 5, 3 / 5, 1 / 5]);
  // beta 0.5 of an odd n leaves the median; of an even n, nothing.
  assert.deepEqual((await run({ id: 'trimmed-mean', options: { beta: 0.5 } }, rows)).update, Float32Array.from([4, 0, 0]));
  await assert.rejects(run({ id: 'trimmed-mean', options: { beta: 0.5 } }, rows.slice(0, 4)), inputError('aggregator.beta', /leaves none to average; lower beta/));
});

test('quickselect columns agree with sorting on random columns with ties, any n and block boundary', () => {
  const rng = Rng.fromSeed('columns');
  for (const n of [1, 2, 3, 16, 17, 33, 101]) {
    const d = 700;
    const updates = Array.from({ length: n }, () => Float32Array.from({ length: d }, () => Math.round(rng.normal() * 4) / 2));
    const medians = columnwise(updates, (col, from, count) => {
      const k = from + ((count - 1) >> 1);
      select(col, from, from + count, k);
      return col[k];
    });
    for (let j = 0; j < d; j++) {
      const sorted = updates.map((u) => u[j]).sort((a, b) => a - b);
      // === rather than Object.is: which zero a tie leaves in place does not matter.
      assert.ok(medians[j] === sorted[(n - 1) >> 1], `n=${n} coordinate ${j}: ${medians[j]} vs ${sorted[(n - 1) >> 1]}`);
    }
  }
});

test('a large outlier update moves the mean far and the median, trimmed mean, Krum and Multi-Krum hardly', async () => {
  const rng = Rng.fromSeed('outlier');
  const honest = Array.from({ length: 9 }, () => Array.from({ length: 50 }, () => 1 + 0.1 * rng.normal()));
  const rows = [...honest, Array.from({ length: 50 }, () => 1e6)];
  const deviation = (u: Float32Array) => Math.max(...Array.from(u, (v) => Math.abs(v - 1)));
  assert.ok(deviation((await run({ id: 'mean' }, rows)).update) > 1e4);
  for (const spec of [{ id: 'median' }, { id: 'trimmed-mean', options: { beta: 0.1 } }, { id: 'krum', options: { f: 1 } }, { id: 'multi-krum', options: { f: 1 } }]) {
    const out = await run(spec, rows);
    assert.ok(deviation(out.update) < 0.5, `${spec.id}: ${deviation(out.update)}`);
    if (spec.id.includes('krum')) assert.ok(!out.included.includes(9), `${spec.id} leaves the outlier out`);
  }
});

test('Krum and Multi-Krum on a hand-computed line: scores, selection, ties to the lower index', async () => {
  const rows = [[0], [1], [2], [3], [100]];
  // n - f - 2 = 2 nearest: 0 -> 1 + 4, 1 -> 1 + 1, 2 -> 1 + 1, 3 -> 1 + 4, 100 -> 97^2 + 98^2.
  assert.deepEqual(Array.from(krumScores(rows.map((r) => Float32Array.from(r)), 1)), [5, 2, 2, 5, 19013]);
  assert.deepEqual(pairwiseSquaredDistances([Float32Array.of(0, 0), Float32Array.of(3, 4)]), Float64Array.of(0, 25, 25, 0));
  const k = await run({ id: 'krum', options: { f: 1 } }, rows);
  assert.deepEqual([k.update, k.included], [Float32Array.of(1), [1]]);
  assert.equal(k.scores!.get(4), 19013);
  const m3 = await run({ id: 'multi-krum', options: { f: 1, m: 3 } }, rows);
  assert.deepEqual([m3.update, m3.included], [Float32Array.of(1), [0, 1, 2]]);
  const mDefault = await run({ id: 'multi-krum', options: { f: 1 } }, rows);
  assert.deepEqual([mDefault.update, mDefault.included], [Float32Array.of(1.5), [0, 1, 2, 3]]);
});

test('Krum needs n > 2f + 2 and Multi-Krum m <= n - f, checked against the round', async () => {
  const four = [[0], [1], [2], [3]];
  await assert.rejects(run({ id: 'krum', options: { f: 1 } }, four), inputError('aggregator.f', /needs more than 2f \+ 2 = 4 updates in a round, got 4; lower f to at most 0/));
  await assert.rejects(run({ id: 'multi-krum', options: { f: 2 } }, [[0], [1], [2]]), inputError('aggregator.f', /got 3; lower f to at most 0/));
  await assert.rejects(run({ id: 'krum', options: { f: 0 } }, [[0], [1]]), inputError('aggregator.f', /got 2; sample more clients/));
  await assert.rejects(run({ id: 'multi-krum', options: { f: 1, m: 5 } }, [[0], [1], [2], [3], [4]]), inputError('aggregator.m', /lower m to at most 4/));
  assert.deepEqual((await run({ id: 'krum', options: { f: 0 } }, four)).included, [1]);
});

test('FLTrust trusts updates by their angle to the server update and rescales them to its norm', async () => {
  const server = [1, 0];
  const rows = [[2, 0], [0, 1], [-3, 0.1], [1, 1]];
  const out = await run({ id: 'fltrust' }, rows, undefined, server);
  const s = Math.SQRT1_2;
  assert.deepEqual([...out.scores!.entries()].map(([k, v]) => [k, Number(v.toFixed(6))]), [[0, 1], [1, 0], [2, 0], [3, Number(s.toFixed(6))]]);
  // (1 * [1, 0] + s * [s, s]) / (1 + s): the opposed and orthogonal updates count for nothing.
  close(out.update, [(1 + s * s) / (1 + s), (s * s) / (1 + s)]);
  assert.deepEqual(out.included, [0, 3]);
  // An opposed update ten times as large still gets no say; with no trust at all the model stays.
  const attacked = await run({ id: 'fltrust' }, [[1, 0.1], [-10, 0]], undefined, server);
  assert.equal(attacked.scores!.get(1), 0);
  assert.ok(attacked.update[0] > 0.9);
  const none = await run({ id: 'fltrust' }, [[-1, 0]], undefined, server);
  assert.deepEqual([none.update, none.included], [Float32Array.of(0, 0), []]);
});

test('norm bounding clips each update before its inner aggregator and composes by spec', async () => {
  const out = await run({ id: 'norm-bounded', options: { bound: 1 } }, [[3, 4], [0.3, 0.4]], [1, 1]);
  close(out.update, [(0.6 + 0.3) / 2, (0.8 + 0.4) / 2]);
  const wrapped = buildAggregator({ id: 'norm-bounded', options: { bound: 2 }, inner: { id: 'median' } });
  assert.equal(wrapped.name, 'norm-bounded(M=2) > median');
  assert.equal(wrapped.needs, 'updates');
  assert.equal(buildAggregator({ id: 'norm-bounded', options: { bound: 2 } }).needs, 'sum');
  const original = updatesOf([[30, 40]]);
  await wrapped.aggregate(original, contextWith());
  assert.deepEqual(original[0].update, Float32Array.of(30, 40), 'inputs are not changed');
});

test('aggregator specs: unknown ids, rules given an inner, bad options are InputErrors at their field', () => {
  assert.throws(() => buildAggregator({ id: 'medain' }), inputError('aggregator.id', /unknown aggregator 'medain'; known: mean, median/));
  assert.throws(() => buildAggregator({ id: 'median', inner: { id: 'mean' } }), inputError('aggregator.inner', /wraps nothing/));
  assert.throws(() => buildAggregator({ id: 'krum', options: { f: -1 } }), inputError('aggregator.f', /.+/));
  assert.throws(() => buildAggregator({ id: 'norm-bounded' }), inputError('aggregator.bound', /.+/));
  assert.throws(() => buildAggregator({ id: 'norm-bounded', options: { bound: 1 }, inner: { id: 'krum', options: { g: 1 } } }), inputError('aggregator.inner.g', /unknown option/));
});
