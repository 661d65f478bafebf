import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { resultsSchema } from '../core/results.js';
import { PACKAGE_ROOT } from '../core/version.js';
import { documentedSuiteSchema } from './suite/schema.js';

/** The JSON Schemas generated from the zod schemas, keyed by their path in the package. */
export function jsonSchemas(): Record<string, string> {
  const text = (s: z.ZodType, title: string) =>
    JSON.stringify({ title, ...z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) }, null, 2) + '\n';
  return {
    'suites/suite.schema.json': text(documentedSuiteSchema(), 'ppml-audit suite'),
    'schemas/results.schema.json': text(resultsSchema, 'ppml-audit results'),
  };
}

export async function writeJsonSchemas(root = PACKAGE_ROOT): Promise<string[]> {
  const files = jsonSchemas();
  for (const [path, body] of Object.entries(files)) await writeFileAtomic(join(root, path), body);
  return Object.keys(files);
}
