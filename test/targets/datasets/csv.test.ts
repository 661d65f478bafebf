import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { PACKAGE_ROOT } from '../../../core/version.js';
import { csv } from '../../../targets/datasets/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'ppml-audit-csv-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let fixtures = 0;
/** Writes `text` to a fresh file in the temp dir and returns its name (relative to the dir). */
function fixture(text: string): string {
  const name = `f${fixtures++}.csv`;
  writeFileSync(join(dir, name), text);
  return name;
}

const load = (options: Record<string, unknown>) =>
  csv.load(csv.options.parse(options), { rng: Rng.fromSeed(1), baseDir: dir });

/** Asserts `load(options)` fails with an InputError at `where` whose message matches every pattern. */
async function rejectsWith(options: Record<string, unknown>, where: ErrorCase['where'], ...patterns: RegExp[]) {
  await assert.rejects(load(options), (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.location.file, resolve(dir, options.path as string));
    assert.equal(err.location.field, where.field);
    assert.equal(err.location.line, where.line);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-5, `${actual} vs ${expected}`);

test('csv: quotes, doubled quotes, embedded comma and newline, CRLF, trimming, trailing newline', async () => {
  const path = fixture('name , size,label\r\n"Smith, J" , 1 ,yes\r\n"say ""hi""",2,no\r\n"multi\r\nline",3, yes \r\n');
  const ds = await load({ path, label: 'label' });
  assert.equal(ds.n, 3);
  assert.equal(ds.d, 4);
  assert.deepEqual(ds.featureNames, ['name=Smith, J', 'name=multi\nline', 'name=say "hi"', 'size']);
  assert.deepEqual(ds.classNames, ['no', 'yes']);
  assert.equal(ds.numClasses, 2);
  assert.deepEqual([...ds.labels], [1, 0, 1]);
  const z = Math.sqrt(3 / 2); // (x - 2) / sqrt(2/3) for x = 1, 2, 3
  const expected = [1, 0, 0, -z, 0, 0, 1, 0, 0, 1, 0, z];
  ds.features.forEach((x, k) => close(x, expected[k]));
});

test('csv: no trailing newline, blank lines and a BOM are fine', async () => {
  const ds = await load({ path: fixture('\uFEFFa,label\n1,x\n\n2,y'), label: 'label' });
  assert.equal(ds.n, 2);
  assert.deepEqual(ds.featureNames, ['a']);
});

test('csv: numeric columns standardized to mean 0 std 1; constant and empty cells become 0', async () => {
  const rows = Array.from({ length: 50 }, (_, i) => `${i * i - 7},${(i % 7) * 0.5},5,${i % 2 ? '' : i},${i % 3}`);
  const ds = await load({ path: fixture(['a,b,constant,gappy,label', ...rows].join('\n')), label: 'label' });
  assert.deepEqual(ds.featureNames, ['a', 'b', 'constant', 'gappy']);
  assert.deepEqual(ds.classNames, ['0', '1', '2']);
  for (const j of [0, 1]) {
    const col = Array.from({ length: ds.n }, (_, i) => ds.features[i * ds.d + j]);
    const mean = col.reduce((s, x) => s + x, 0) / col.length;
    close(mean, 0);
    close(Math.sqrt(col.reduce((s, x) => s + (x - mean) ** 2, 0) / col.length), 1);
  }
  for (let i = 0; i < ds.n; i++) {
    assert.equal(ds.features[i * ds.d + 2], 0);
    if (i % 2) assert.equal(ds.features[i * ds.d + 3], 0, 'an empty cell is imputed with the mean');
  }
});

test('csv: categorical detection, forced categorical codes sorted numerically, drop, maxRows', async () => {
  const path = fixture('zip,city,id,label\n10,b,1,n\n2,a,2,y\n10,c,3,n\n2,a,4,y\n');
  const auto = await load({ path, label: 'label' });
  assert.deepEqual(auto.featureNames, ['zip', 'city=a', 'city=b', 'city=c', 'id']);

  const ds = await load({ path, label: 'label', categorical: ['zip'], drop: ['id'] });
  assert.deepEqual(ds.featureNames, ['zip=2', 'zip=10', 'city=a', 'city=b', 'city=c']);
  assert.deepEqual([...ds.features.subarray(0, 5)], [0, 1, 0, 1, 0]);
  assert.deepEqual([...ds.labels], [0, 1, 0, 1]);

  const firstTwo = await load({ path, label: 'label', maxRows: 2 });
  assert.equal(firstTwo.n, 2);
  assert.deepEqual(firstTwo.featureNames, ['zip', 'city=a', 'city=b', 'id']);
});

test('csv: numeric labels sort as numbers', async () => {
  const ds = await load({ path: fixture('x,label\n1,10\n2,9\n3,10\n'), label: 'label' });
  assert.deepEqual(ds.classNames, ['9', '10']);
  assert.deepEqual([...ds.labels], [1, 0, 1]);
});

interface ErrorCase {
  name: string;
  /** File content; the case without one names a file that does not exist. */
  text?: string;
  options?: Record<string, unknown>;
  where: { field?: string; line?: number };
  says: RegExp[];
}

const errorCases: ErrorCase[] = [
  { name: 'missing file', where: { field: 'dataset.path' }, says: [/file not found/, /dataset\.path/] },
  { name: 'empty file', text: '', where: {}, says: [/empty/, /header row/] },
  { name: 'header only', text: 'a,y\r\n', where: { line: 1 }, says: [/no data rows/] },
  {
    name: 'missing label column',
    text: 'a,b\n1,2\n',
    options: { label: 'income' },
    where: { field: 'dataset.label' },
    says: [/'income' not found/, /columns are: a, b/],
  },
  {
    name: 'ragged row, counted past a multi-line quoted field',
    text: 'a,b,y\n1,"two\nlines",x\n3,4,x\n5,6\n',
    where: { line: 5 },
    says: [/2 fields, expected 3/],
  },
  {
    name: 'unknown categorical column',
    text: 'a,y\n1,x\n',
    options: { categorical: ['zip'] },
    where: { field: 'dataset.categorical' },
    says: [/'zip' does not exist/, /columns are: a, y/],
  },
  { name: 'unknown drop column', text: 'a,y\n1,x\n', options: { drop: ['id'] }, where: { field: 'dataset.drop' }, says: [/'id' does not exist/] },
  { name: 'unclosed quote', text: 'a,y\n1,x\n"2,x\n', where: { line: 3 }, says: [/never closed/] },
  { name: 'text after a closing quote', text: 'a,y\n"1"2,x\n', where: { line: 2 }, says: [/""/] },
  { name: 'duplicate column', text: 'a,a,y\n1,2,x\n', where: { line: 1 }, says: [/'a' appears twice/] },
  { name: 'empty label', text: 'a,y\n1,x\n2,\n', where: { line: 3 }, says: [/empty label/] },
];

test('csv: every error is an InputError that points at the file and says the fix', async (t) => {
  for (const c of errorCases) {
    const path = c.text === undefined ? 'nope.csv' : fixture(c.text);
    await t.test(c.name, () => rejectsWith({ path, label: 'y', ...c.options }, c.where, ...c.says));
  }
});

test('csv: adult.csv loads with 6 numeric columns and 8 one-hot encoded ones', async (t) => {
  const adult = resolve(PACKAGE_ROOT, '../shared/datasets/adult.csv');
  if (!existsSync(adult)) {
    t.skip(`../shared/datasets/adult.csv not found: ${adult} (a fresh clone has no ../shared)`);
    return;
  }
  const ds = await load({ path: adult, label: 'income' });

  // Distinct values of the categorical columns, counted here from the raw file (it has no quotes).
  const [header, ...rows] = readFileSync(adult, 'utf8').trim().split('\n').map((l) => l.split(','));
  const categorical = ['type_employer', 'education', 'marital', 'occupation', 'relationship', 'race', 'sex', 'country'];
  const oneHot = categorical.reduce((sum, name) => sum + new Set(rows.map((r) => r[header.indexOf(name)])).size, 0);
  assert.equal(oneHot, 98);

  assert.equal(ds.n, 30162);
  assert.equal(ds.d, 6 + oneHot);
  assert.equal(ds.features.length, 30162 * 104);
  assert.deepEqual(ds.classNames, ['<=50K', '>50K']);
  assert.ok(ds.featureNames.includes('sex=Female') && ds.featureNames.includes('age'));
});
