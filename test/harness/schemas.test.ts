import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version.js';
import { jsonSchemas } from '../../harness/schemas.js';

test('committed JSON Schemas match the zod schemas (run `npm run schema` after changing them)', () => {
  for (const [path, body] of Object.entries(jsonSchemas())) {
    assert.equal(readFileSync(join(PACKAGE_ROOT, path), 'utf8'), body, `${path} is stale`);
  }
});

test('the suite schema lists every plugin id for editors', () => {
  const suite = jsonSchemas()['suites/suite.schema.json'];
  for (const id of ['synthetic', 'csv', 'mnist', 'mlp', 'logistic', 'cnn', 'loss-threshold']) assert.ok(suite.includes(`"${id}"`), id);
});
