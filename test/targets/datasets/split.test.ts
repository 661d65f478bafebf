import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { resolveSplitSizes, splitDataset } from '../../../targets/datasets/split.js';

test('split: disjoint index sets of exactly the requested sizes', () => {
  const sizes = { members: 30, nonMembers: 20, population: 40, test: 7 };
  const splits = splitDataset(100, sizes, Rng.fromSeed(1));
  const all = [...splits.members, ...splits.nonMembers, ...splits.population, ...splits.test];
  assert.equal(splits.members.length, 30);
  assert.equal(splits.nonMembers.length, 20);
  assert.equal(splits.population.length, 40);
  assert.equal(splits.test.length, 7);
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.every((i) => Number.isInteger(i) && i >= 0 && i < 100));
});

test('split: sizes may use every record, or none', () => {
  const full = splitDataset(8, { members: 2, nonMembers: 2, population: 2, test: 2 }, Rng.fromSeed(1));
  const all = [...full.members, ...full.nonMembers, ...full.population, ...full.test];
  assert.deepEqual(all.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  const empty = splitDataset(8, { members: 0, nonMembers: 0, population: 0, test: 0 }, Rng.fromSeed(1));
  assert.equal(empty.members.length + empty.test.length, 0);
});

test('split: same seed same split, another seed another split', () => {
  const sizes = resolveSplitSizes(1000);
  const a = splitDataset(1000, sizes, Rng.fromSeed('s'));
  const b = splitDataset(1000, sizes, Rng.fromSeed('s'));
  const c = splitDataset(1000, sizes, Rng.fromSeed('t'));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.members, c.members);
});

test('split: sizes over n are an InputError naming the total, n and the fix', () => {
  assert.throws(
    () => splitDataset(100, { members: 50, nonMembers: 50, population: 10, test: 0 }, Rng.fromSeed(1)),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.location.field, 'split');
      assert.match(err.message, /add up to 110/);
      assert.match(err.message, /only 100 records/);
      assert.match(err.message, /lower the split sizes/);
      return true;
    },
  );
});

test('split: a negative or fractional size is an InputError on its field', () => {
  assert.throws(
    () => splitDataset(100, { members: -1, nonMembers: 5, population: 5, test: 5 }, Rng.fromSeed(1)),
    (err: unknown) => err instanceof InputError && err.location.field === 'split.members',
  );
  assert.throws(
    () => splitDataset(100, { members: 1, nonMembers: 5, population: 2.5, test: 5 }, Rng.fromSeed(1)),
    (err: unknown) => err instanceof InputError && err.location.field === 'split.population',
  );
});

test('resolveSplitSizes: omitted sizes default to floor(n/4)', () => {
  assert.deepEqual(resolveSplitSizes(4003), { members: 1000, nonMembers: 1000, population: 1000, test: 1000 });
  const partial = resolveSplitSizes(100, { members: 10, test: 3 });
  assert.deepEqual(partial, { members: 10, nonMembers: 25, population: 25, test: 3 });
});
