import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { attacks } from '../../attacks/index.js';
import { InputError } from '../../core/errors.js';
import type { Configurable, Registry } from '../../core/registry.js';
import { datasets } from '../../targets/datasets/index.js';
import { models } from '../../targets/models/index.js';
import { recipeSchema, type Recipe } from '../../targets/training/optimizers.js';
import { dpConfigSchema, type DpConfig } from '../../defenses/dp/config.js';
import { dpFedAvgConfigSchema, type DpFedAvgConfig } from '../../defenses/dp/dp-fedavg-config.js';
import { federatedSuiteSchema, type FederatedSuiteConfig } from '../federated-job.js';
import type { SplitSizes } from '../../targets/datasets/types.js';
import type { AssertionsConfig } from '../gate/assertions.js';
import { splitSchema, suiteSchema, type ExperimentInput } from './schema.js';

export interface PluginSpec {
  id: string;
  /** A suite-given name (attacks only), unique within the experiment. */
  name?: string;
  options: Record<string, unknown>;
}

/** One fully validated experiment: plain data, so it can cross to a worker thread. */
export interface ExperimentSpec {
  id: string;
  name: string;
  variant: Record<string, unknown>;
  dataset: PluginSpec;
  model: PluginSpec;
  training: Recipe;
  split: Partial<SplitSizes>;
  /** DP settings: DP-SGD's, or DP-FedAvg's when the experiment is federated. */
  dp?: DpConfig | DpFedAvgConfig;
  /** Federated training, when the target is trained by clients rather than centrally. */
  federated?: FederatedSuiteConfig;
  api: 'probabilities' | 'labels';
  attacks: PluginSpec[];
  /** Extra false-positive rates at which membership attacks report TPR. */
  fprs: number[];
  seed: number;
  /** The suite file, for messages, and its folder, which relative data paths resolve against. */
  file: string;
  baseDir: string;
}

export interface Suite {
  name: string;
  /** The seeds every experiment runs with; `seed` is the first. */
  seeds: number[];
  /** Variables set on the command line (`--var`), needed to load the suite again the same way. */
  vars: Record<string, string>;
  description: string;
  file: string;
  hash: string;
  seed: number;
  experiments: ExperimentSpec[];
  /** The suite's own `gates:`, checked on its results by `run`. */
  gates?: AssertionsConfig;
  redact: boolean;
}

type Path = (string | number)[];

function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Finds where `path` sits in the YAML (or the nearest ancestor that exists) for the message. */
function locate(doc: Document, lines: LineCounter, path: Path): { line?: number; column?: number } {
  for (let k = path.length; k >= 0; k--) {
    const node = doc.getIn(path.slice(0, k), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
}

function zodFailure(src: Source, err: z.ZodError, base: Path, value: unknown): InputError {
  const issue = err.issues[0];
  const path = [...base, ...(issue.path as Path)];
  let found: unknown = value;
  for (const p of issue.path) found = (found as Record<string | number, unknown> | undefined)?.[p as string];
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      : `${issue.message}, got ${describeValue(found)}`;
  const field = fieldName(issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path);
  return new InputError(message, { file: src.file, field, ...locate(src.doc, src.lines, path) });
}

function parseWith<S extends z.ZodType>(src: Source, schema: S, value: unknown, base: Path): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw zodFailure(src, r.error, base, value);
  return r.data;
}

/** `{id, ...options}` checked against the plugin the id names. */
function pluginSpec(src: Source, registry: Registry<Configurable>, ref: { id: string }, path: Path): PluginSpec {
  const located = { file: src.file, field: fieldName([...path, 'id']), ...locate(src.doc, src.lines, [...path, 'id']) };
  if (!registry.has(ref.id)) {
    throw new InputError(`unknown ${registry.kind} '${ref.id}'; known: ${registry.ids().join(', ')}`, located);
  }
  const { id, ...rest } = ref;
  const options = parseWith(src, registry.get(id).options, rest, path) as Record<string, unknown>;
  return { id, options };
}

/** The experiment's attacks: names unique, and each one able to run on the configured api. */
function attackSpecs(src: Source, exp: ExperimentInput, base: Path): PluginSpec[] {
  const seen = new Set<string>();
  return exp.attacks.map(({ name, ...ref }, j) => {
    const path = [...base, 'attacks', j];
    const spec = pluginSpec(src, attacks, ref, path);
    const where = (field: string) => ({ file: src.file, field: fieldName([...path, field]), ...locate(src.doc, src.lines, [...path, field]) });
    const key = name ?? spec.id;
    if (seen.has(key)) {
      throw new InputError(`two attacks are both called '${key}'; give each a distinct name: (e.g. name: ${spec.id}-2)`, where(name ? 'name' : 'id'));
    }
    seen.add(key);
    const def = attacks.get(spec.id);
    // Audits train their own runs and never query the deployed api.
    if (exp.api === 'labels' && def.family === 'membership' && def.requiredOutput === 'probabilities') {
      const labelOnly = attacks.list().filter((a) => a.family === 'membership' && a.requiredOutput === 'labels');
      throw new InputError(
        `attack '${spec.id}' needs output probabilities, but api is 'labels' (the model returns only its top label); ` +
          `use a label-only attack (${labelOnly.map((a) => a.id).join(', ')}) or api: probabilities`,
        where('id'),
      );
    }
    return name ? { ...spec, name } : spec;
  });
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

const SWEEPABLE = new Set(['dataset', 'model', 'training', 'split', 'dp', 'federated']);

/** The cartesian product of a matrix, in file order: [{key: value}, ...]. */
function variants(matrix: Record<string, unknown[]> | undefined): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(matrix ?? {})) {
    out = out.flatMap((v) => values.map((x) => ({ ...v, [key]: x })));
  }
  return out;
}

/**
 * A matrix value as an experiment's name shows it: plugin references as `id(key=value)`
 * (`trimmed-mean(beta=0.1)`), other objects as `key=value` lists, lists comma-joined.
 */
function valueLabel(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(valueLabel).join(', ')}]`;
  if (v === null || typeof v !== 'object') return String(v);
  const { id, options, ...rest } = v as Record<string, unknown>;
  const fields = Object.entries({ ...(options as object | undefined), ...rest }).map(([k, x]) => `${k}=${valueLabel(x)}`);
  if (typeof id === 'string') return fields.length ? `${id}(${fields.join(', ')})` : id;
  return fields.join(', ');
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'experiment';
}

function expand(src: Source, exp: ExperimentInput, index: number, seed: number, fprs: number[], baseDir: string): ExperimentSpec[] {
  const base: Path = ['experiments', index];
  for (const key of Object.keys(exp.matrix ?? {})) {
    if (!SWEEPABLE.has(key.split('.')[0]) || key.split('.').length < 2) {
      throw new InputError(
        `matrix keys are dotted paths under ${[...SWEEPABLE].join(', ')} (e.g. training.weightDecay), got '${key}'`,
        { file: src.file, field: fieldName([...base, 'matrix', key]), ...locate(src.doc, src.lines, [...base, 'matrix', key]) },
      );
    }
  }
  const all = variants(exp.matrix);
  return all.map((variant, k) => {
    const e = structuredClone({ dataset: exp.dataset, model: exp.model, training: exp.training, split: exp.split, dp: exp.dp, federated: exp.federated }) as Record<
      string,
      unknown
    >;
    for (const [key, value] of Object.entries(variant)) setPath(e, key, value);
    const label = Object.entries(variant)
      .map(([key, v]) => `${key.split('.').pop()}=${valueLabel(v)}`)
      .join(', ');
    return {
      id: all.length > 1 ? `${slug(exp.name)}-${k + 1}` : slug(exp.name),
      name: label ? `${exp.name} (${label})` : exp.name,
      variant,
      dataset: pluginSpec(src, datasets, e.dataset as { id: string }, [...base, 'dataset']),
      model: pluginSpec(src, models, e.model as { id: string }, [...base, 'model']),
      training: parseWith(src, recipeSchema, e.training, [...base, 'training']),
      split: parseWith(src, splitSchema, e.split, [...base, 'split']) as Partial<SplitSizes>,
      // DP-SGD for central training, DP-FedAvg (user-level, a `mode`) for a federated one.
      ...(e.dp ? { dp: parseWith(src, e.federated ? dpFedAvgConfigSchema : dpConfigSchema, e.dp, [...base, 'dp']) } : {}),
      ...(e.federated ? { federated: parseWith(src, federatedSuiteSchema, e.federated, [...base, 'federated']) } : {}),
      api: exp.api,
      attacks: attackSpecs(src, exp, base),
      fprs,
      seed,
      file: src.file,
      baseDir,
    };
  });
}

/** Reads, parses and validates a suite file; every problem is an InputError pointing into it. */
/** What the command line may change in a suite: its seed(s) and its declared variables. */
export interface SuiteOverrides {
  seed?: number;
  /** Every seed to run (a shard's manifest gives them back to merge). */
  seeds?: number[];
  vars?: Record<string, string>;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${name}` in every string under `node` with the suite's variables (defaults from
 * `vars:`, overridden by `--var name=value`). A string that is exactly one variable takes the
 * variable's value as is, so numbers stay numbers.
 */
function substitute(src: Source, node: unknown, vars: Record<string, string | number>, path: Path): unknown {
  if (typeof node === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(node);
    const check = (name: string) => {
      if (!(name in vars)) {
        throw new InputError(`unknown variable '\${${name}}'; declare it under vars: (known: ${Object.keys(vars).join(', ') || 'none'})`, {
          file: src.file,
          field: fieldName(path),
          ...locate(src.doc, src.lines, path),
        });
      }
      return vars[name];
    };
    if (whole) return check(whole[1]);
    return node.replace(VAR, (_, name: string) => String(check(name)));
  }
  if (Array.isArray(node)) return node.map((v, i) => substitute(src, v, vars, [...path, i]));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(src, v, vars, [...path, k])]));
  }
  return node;
}

export async function loadSuite(file: string, overrides: SuiteOverrides = {}): Promise<Suite> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'suite file not found; check the path' : `cannot read suite file (${code})`, {
      file,
    });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    throw new InputError(`malformed YAML: ${e.message.split('\n')[0]}`, { file, line, column: col });
  }
  const src: Source = { file, doc, lines };
  const raw = doc.toJS() as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError('a suite is a YAML mapping with name and experiments', { file });
  }
  const declared = parseWith(src, suiteSchema, raw, []);
  for (const name of Object.keys(overrides.vars ?? {})) {
    if (!(name in declared.vars)) {
      throw new InputError(`--var ${name}: the suite declares no such variable (vars: ${Object.keys(declared.vars).join(', ') || 'none'})`, { file });
    }
  }
  const vars = { ...declared.vars, ...overrides.vars };
  const suite = { ...declared, experiments: substitute(src, declared.experiments, vars, ['experiments']) as typeof declared.experiments };
  const seeds = overrides.seed !== undefined ? [overrides.seed] : (overrides.seeds ?? suite.seeds ?? [suite.seed]);
  const baseDir = dirname(resolve(file));
  const experiments = seeds.flatMap((seed) =>
    suite.experiments.flatMap((e, i) =>
      // The same experiment under several seeds keeps its id, so gates and reports can pair them.
      expand(src, e, i, seed, suite.fprs, baseDir).map((x) => (seeds.length > 1 ? { ...x, name: `${x.name} [seed ${seed}]` } : x)),
    ),
  );
  const ids = new Set<string>();
  for (const e of experiments) {
    const key = `${e.id}@${e.seed}`;
    if (ids.has(key)) throw new InputError(`two experiments are both named '${e.name}'; names must differ`, { file });
    ids.add(key);
  }
  return {
    name: suite.name,
    description: suite.description,
    file,
    // The variables given on the command line are part of what ran.
    hash: createHash('sha256').update(text).update(JSON.stringify(overrides.vars ?? {})).digest('hex'),
    seed: seeds[0],
    seeds,
    vars: overrides.vars ?? {},
    experiments,
    ...(suite.gates ? { gates: suite.gates } : {}),
    redact: suite.redact,
  };
}
