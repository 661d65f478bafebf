import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../core/version.js';
import { aggregators } from '../../../defenses/robust/index.js';

/** Files of defenses/robust that are not aggregators: the registry, shared types and helpers, the bench. */
const NOT_PLUGINS = new Set(['index', 'types', 'columns', 'krum-scores', 'bench']);

test('the aggregator registry lists exactly the plugin files of defenses/robust', async () => {
  const files = readdirSync(join(PACKAGE_ROOT, 'defenses', 'robust'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .filter((name) => !NOT_PLUGINS.has(name));
  assert.deepEqual([...aggregators.ids()].sort(), files.sort());
  for (const name of files) {
    const mod = (await import(`../../../defenses/robust/${name}.js`)) as Record<string, unknown>;
    const defs = Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'id' in v);
    assert.equal(defs.length, 1, `${name}.ts exports one definition`);
    const def = aggregators.get(name);
    assert.equal(def, defs[0]);
    assert.ok(def.title && def.description && (def.kind === 'rule' || def.kind === 'wrapper'));
  }
});
