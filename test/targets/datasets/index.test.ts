import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../core/version.js';
import { datasets } from '../../../targets/datasets/index.js';

const NOT_PLUGINS = new Set(['index', 'types', 'split']);

test('dataset registry lists exactly the plugin files of targets/datasets', async () => {
  const files = readdirSync(join(PACKAGE_ROOT, 'targets', 'datasets'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .filter((name) => !NOT_PLUGINS.has(name));
  assert.deepEqual([...datasets.ids()].sort(), files.sort());

  // Each file exports one definition, and its id is the file's name.
  for (const name of files) {
    const mod = (await import(`../../../targets/datasets/${name}.js`)) as Record<string, unknown>;
    const defs = Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'id' in v);
    assert.equal(defs.length, 1, `${name}.ts exports one definition`);
    assert.equal(datasets.get(name), defs[0]);
    assert.ok(datasets.get(name).title && datasets.get(name).description, `${name} has a title and a description`);
  }
});
