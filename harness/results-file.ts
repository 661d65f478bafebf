import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { resultsSchema, SCHEMA_VERSION, type Results } from '../core/results.js';
import { TOOL_VERSION } from '../core/version.js';

/**
 * Reads and validates a results.json. Every command that takes one (report, gate, a baseline)
 * goes through here, so they all refuse the same things with the same messages: a missing file,
 * bad JSON, another schemaVersion (checked first, as it explains any shape mismatch), a bad shape.
 */
export async function readResultsFile(file: string): Promise<Results> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(e.code === 'ENOENT' ? 'file not found' : `not valid JSON: ${e.message}`, { file });
  }
  const version = (raw as { schemaVersion?: unknown })?.schemaVersion;
  if (version !== SCHEMA_VERSION) {
    throw new InputError(
      `schemaVersion ${JSON.stringify(version)} is not ${SCHEMA_VERSION}; re-run the suite with ppml-audit ${TOOL_VERSION}`,
      { file, field: 'schemaVersion' },
    );
  }
  const parsed = resultsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`not a ppml-audit results file: ${issue.message}`, { file, field: issue.path.join('.') });
  }
  return parsed.data;
}
