import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { DatasetDefinition } from './types.js';

const options = z.object({
  path: z.string().min(1),
  label: z.string().min(1),
  /** Forces numeric-looking columns (codes, zip) to one-hot; a column with any non-numeric value is categorical anyway. */
  categorical: z.array(z.string()).optional(),
  drop: z.array(z.string()).optional(),
  maxRows: z.number().int().min(1).optional(),
});

interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
}

const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;

const isBlank = (c: number): boolean => c === 32 || c === 9;

/**
 * RFC 4180 records: quoted fields may hold commas, newlines and doubled quotes; whitespace around
 * a field is trimmed; blank lines (including a trailing newline) make no record. Stops after
 * `limit` records.
 */
function parseCsv(raw: string, file: string, limit: number): CsvRecord[] {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const len = text.length;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < len && records.length < limit) {
    if (text.charCodeAt(i) === NEWLINE) {
      i++;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      while (i < len && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            throw new InputError(`a quoted field opened on line ${line} is never closed; add the closing "`, { file, line });
          }
          value += text.slice(from, close);
          if (text.charCodeAt(close + 1) !== QUOTE) {
            i = close + 1;
            break;
          }
          value += '"';
          from = close + 2;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) line++;
        while (i < len && isBlank(text.charCodeAt(i))) i++;
        if (i < len && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== NEWLINE) {
          throw new InputError('text after a closing quote; write a quote inside a quoted field as ""', { file, line });
        }
        fields.push(value);
      } else {
        let end = i;
        while (end < len && text.charCodeAt(end) !== COMMA && text.charCodeAt(end) !== NEWLINE) end++;
        fields.push(text.slice(i, end).trim());
        i = end;
      }
      if (text.charCodeAt(i) !== COMMA) break;
      i++;
    }
    records.push({ fields, line: start });
    i++;
    line++;
  }
  return records;
}

const isNumeric = (v: string): boolean => v !== '' && Number.isFinite(Number(v));

/** Distinct values in a fixed order: numerically when all are numbers, else by code unit (locale-free). */
function sortedDistinct(values: string[]): string[] {
  const distinct = [...new Set(values)];
  return distinct.every(isNumeric)
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Header and data records of the file, checked for shape; every problem names its line and the fix. */
async function readTable(file: string, baseDir: string, opts: z.infer<typeof options>) {
  const fail = (message: string, where: { line?: number; field?: string } = {}) =>
    new InputError(message, { file, ...where });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file (${(err as Error).message})`;
    throw fail(`${why}; check dataset.path (a relative path resolves against ${baseDir})`, { field: 'dataset.path' });
  }

  const [header, ...rows] = parseCsv(text, file, (opts.maxRows ?? Infinity) + 1);
  if (!header) throw fail('the file is empty; it needs a header row naming the columns, then one row per record');
  if (rows.length === 0) throw fail('the file has a header but no data rows; add records below the header', { line: 1 });

  const columns = header.fields;
  const known = `columns are: ${columns.join(', ')}`;
  columns.forEach((name, j) => {
    const first = columns.indexOf(name);
    if (first !== j) {
      throw fail(`column '${name}' appears twice in the header (columns ${first + 1} and ${j + 1}); rename one`, { line: 1 });
    }
  });
  const label = columns.indexOf(opts.label);
  if (label < 0) {
    throw fail(`label column '${opts.label}' not found; ${known}. Set dataset.label to one of them`, { field: 'dataset.label' });
  }
  for (const field of ['categorical', 'drop'] as const) {
    for (const name of opts[field] ?? []) {
      if (!columns.includes(name)) {
        const fix = `Remove it from dataset.${field} or fix its spelling`;
        throw fail(`column '${name}' does not exist; ${known}. ${fix}`, { field: `dataset.${field}` });
      }
    }
  }
  for (const { fields, line } of rows) {
    if (fields.length !== columns.length) {
      const fix = `give every row ${columns.length} fields and quote values that contain commas`;
      throw fail(`row has ${fields.length} fields, expected ${columns.length} (the header's count); ${fix}`, { line });
    }
    if (fields[label] === '') throw fail(`empty label '${opts.label}'; give every row a label or remove the row`, { line });
  }
  return { columns, rows, label };
}

type Encoder =
  | { kind: 'categorical'; column: number; offset: number; index: Map<string, number> }
  | { kind: 'numeric'; column: number; offset: number; mean: number; std: number };

export const csv: DatasetDefinition<typeof options> = {
  id: 'csv',
  title: 'CSV table',
  description: 'A labelled CSV file: categorical columns one-hot encoded, numeric columns standardized.',
  options,
  async load(opts, { baseDir }) {
    const file = resolve(baseDir, opts.path);
    const { columns, rows, label } = await readTable(file, baseDir, opts);

    const n = rows.length;
    const skip = new Set([opts.label, ...(opts.drop ?? [])]);
    const forced = new Set(opts.categorical ?? []);
    const encoders: Encoder[] = [];
    const featureNames: string[] = [];
    columns.forEach((name, column) => {
      if (skip.has(name)) return;
      const values = rows.map((r) => r.fields[column]);
      const offset = featureNames.length;
      if (forced.has(name) || values.some((v) => v !== '' && !isNumeric(v))) {
        const categories = sortedDistinct(values);
        featureNames.push(...categories.map((v) => `${name}=${v}`));
        encoders.push({ kind: 'categorical', column, offset, index: new Map(categories.map((v, k) => [v, k])) });
      } else {
        // Empty cells are missing values: left out of mean and std, then imputed with the mean (0 after standardizing).
        const xs = values.filter((v) => v !== '').map(Number);
        const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
        const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
        featureNames.push(name);
        encoders.push({ kind: 'numeric', column, offset, mean, std });
      }
    });

    const d = featureNames.length;
    const features = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const fields = rows[i].fields;
      for (const e of encoders) {
        const v = fields[e.column];
        if (e.kind === 'categorical') features[i * d + e.offset + e.index.get(v)!] = 1;
        else if (v !== '' && e.std > 0) features[i * d + e.offset] = (Number(v) - e.mean) / e.std;
      }
    }

    const classNames = sortedDistinct(rows.map((r) => r.fields[label]));
    const classOf = new Map(classNames.map((c, k) => [c, k]));
    const labels = Int32Array.from(rows, (r) => classOf.get(r.fields[label])!);

    return {
      description: `CSV ${basename(file)} (N=${n}, D=${d}, ${classNames.length} classes of '${opts.label}')`,
      n,
      d,
      numClasses: classNames.length,
      features,
      labels,
      featureNames,
      classNames,
    };
  },
};
