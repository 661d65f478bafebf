import type { z } from 'zod';
import { InputError } from './errors.js';

/**
 * Options checked against their zod schema, defaults filled in; the first problem becomes an
 * InputError whose field is the option's dotted path under `prefix` (e.g. `federated.partition.alpha`).
 */
export function validateOptions<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = [prefix, ...issue.path, ...keys.slice(0, 1)].filter((p) => p !== '').join('.');
  throw new InputError(keys.length ? `unknown option '${keys[0]}'` : issue.message, { field });
}
