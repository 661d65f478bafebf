import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError, type InputLocation } from '../../core/errors.js';
import { canonicalMetricId } from './metrics.js';
import { PRESETS } from './presets.js';

/**
 * An assertions file in the Lighthouse CI style (JSON or YAML), also the shape of a suite's
 * `gates:`. Each key names a metric (`*` matches any characters); each value is a level, alone
 * or with options:
 *   { "extends": "ppml:recommended",
 *     "assertions": { "membership.loss-threshold.tprAt0.001": ["error", { "max": 0.02 }],
 *                     "membership.*.auc": "off" },
 *     "experiments": "quick/*" }
 */
const LEVELS = ['error', 'warn', 'off'] as const;
type Level = (typeof LEVELS)[number];

export const assertionOptionsSchema = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    /** Largest allowed rise over the baseline's value (needs --baseline). */
    maxIncrease: z.number().optional(),
    /** Largest allowed fall below the baseline's value (needs --baseline). */
    maxDecrease: z.number().optional(),
    /** Another metric of the same experiment this one may not exceed (`dp.audit.epsLower` <= `dp.epsilon`). */
    maxMetric: z.string().min(1).optional(),
  })
  .strict();
export type AssertionOptions = z.infer<typeof assertionOptionsSchema>;
export type OptionName = keyof AssertionOptions;

// "off" is short for ["off"]; a level without options re-levels what a preset set for that key.
const entrySchema = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.tuple([z.enum(LEVELS), assertionOptionsSchema.optional()]),
);

const oneOrMore = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const assertionsFileSchema = z
  .object({
    $schema: z.string().optional(),
    /** Presets to start from, in order (`ppml:recommended`, `ppml:no-regression`). */
    extends: oneOrMore.optional(),
    assertions: z.record(z.string().min(1), entrySchema).default({}),
    /** Experiment ids or names (or `*` patterns) the assertions apply to; default all. */
    experiments: oneOrMore.optional(),
  })
  .strict();
export type AssertionsConfig = z.infer<typeof assertionsFileSchema>;

/** One checked entry after presets are merged: a canonical metric pattern, a level, its options. */
export interface Assertion {
  /** Canonical metric id or `*` pattern (`membership.*.tprAt1e-3`). */
  key: string;
  /** The key as written, for messages that point into the file. */
  written: string;
  level: Exclude<Level, 'off'>;
  options: AssertionOptions;
  /** Where it came from: a preset name, or the file or `gates` the user wrote. */
  source: string;
  fromPreset: boolean;
}

export interface AssertionSet {
  /** The file or `gates` they came from. */
  source: string;
  assertions: Assertion[];
  /** Experiment ids/names or patterns to check; undefined checks all. */
  experiments?: string[];
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : [v].flat());

/** `assertions["membership.*.auc"][1].max`: metric keys hold dots, so they are quoted. */
function fieldName(path: PropertyKey[]): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const name = String(p);
      return /^[A-Za-z_$][\w$]*$/.test(name) ? `${i ? '.' : ''}${name}` : `[${JSON.stringify(name)}]`;
    })
    .join('');
}

/** `assertions["membership.*.auc"]`: where an entry sits, for messages. */
export const assertionField = (written: string): string => fieldName(['assertions', written]);

/** Validates an assertions object (parsed from a file, or a suite's `gates:`). */
export function parseAssertions(raw: unknown, source: string): AssertionsConfig {
  const r = assertionsFileSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code !== 'unrecognized_keys') return fail(issue.message, { file: source, field: fieldName(issue.path) });
  // The only strict objects are the file itself and an entry's options.
  const allowed = Object.keys((issue.path.length ? assertionOptionsSchema : assertionsFileSchema).shape);
  return fail(`unknown ${issue.path.length ? 'option' : 'field'}; use ${allowed.join(', ')}`, {
    file: source,
    field: fieldName([...issue.path, issue.keys[0]]),
  });
}

function fail(message: string, location: InputLocation): never {
  throw new InputError(message, location);
}

/** Reads an assertions file; YAML is a superset of JSON, so one parser serves both. */
export async function loadAssertions(file: string): Promise<AssertionsConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'assertions file not found' : `cannot read assertions file (${code})`, { file });
  }
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    return fail(`malformed JSON/YAML: ${error.message.split('\n')[0]}`, { file, line: at?.line, column: at?.col });
  }
  return parseAssertions(doc.toJS(), file);
}

/**
 * Presets first, in `extends` order, then the object's own entries in order. An own key with
 * options replaces what presets set for that key; an own key with a level only re-levels it
 * ("off" removes it). Keys are canonical, so `tprAt0.001` overrides a preset's `tprAt1e-3`.
 */
export function resolveAssertions(config: AssertionsConfig, source: string, fromPreset = false): AssertionSet {
  let merged: Assertion[] = [];
  for (const name of list(config.extends) ?? []) {
    const preset = PRESETS[name];
    if (!preset) fail(`unknown preset '${name}'; known: ${Object.keys(PRESETS).join(', ')}`, { file: source, field: 'extends' });
    merged.push(...resolveAssertions(preset, name, true).assertions);
  }
  const seen = new Map<string, string>();
  for (const [written, [level, options]] of Object.entries(config.assertions)) {
    const key = canonicalMetricId(written);
    const field = assertionField(written);
    const twice = seen.get(key);
    if (twice !== undefined) fail(`names the same metric as '${twice}'; keep one`, { file: source, field });
    seen.set(key, written);
    const inherited = merged.filter((a) => a.key === key);
    merged = merged.filter((a) => a.key !== key);
    if (options) {
      if (level !== 'off') {
        merged.push({ key, written, level, options: checkedOptions(options, { file: source, field }), source, fromPreset });
      }
    } else if (level !== 'off') {
      if (!inherited.length) {
        const example = `["${level}", {"max": 0.05}]`;
        fail(`'${level}' alone only changes the level a preset set; give options, e.g. ${example}`, { file: source, field });
      }
      merged.push(...inherited.map((a) => ({ ...a, level })));
    }
  }
  return { source, assertions: merged, experiments: list(config.experiments) };
}

/** At least one option; `maxMetric` names its metric canonically like the keys. */
function checkedOptions(options: AssertionOptions, where: InputLocation): AssertionOptions {
  if (Object.keys(options).length === 0) fail('give at least one of min, max, maxIncrease, maxDecrease, maxMetric', where);
  const { maxMetric, ...rest } = options;
  return maxMetric === undefined ? rest : { ...rest, maxMetric: canonicalMetricId(maxMetric) };
}
