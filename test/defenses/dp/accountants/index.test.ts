import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../../core/version.js';
import { accountants } from '../../../../defenses/dp/accountants/index.js';

/** Files in the folder that are not accountants: the contract, the registry, the stateful front. */
const NOT_PLUGINS = new Set(['types', 'index', 'accountant']);

test('the accountant registry lists exactly the accountant files in defenses/dp/accountants', () => {
  const files = readdirSync(join(PACKAGE_ROOT, 'defenses', 'dp', 'accountants'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .filter((f) => !NOT_PLUGINS.has(f))
    .sort();
  assert.deepEqual(files, ['prv', 'rdp']);
  assert.deepEqual([...accountants.ids()].sort(), files);
  for (const a of accountants.list()) {
    assert.ok(a.title && a.description && a.method, a.id);
    assert.doesNotThrow(() => a.options.parse({}), `${a.id} has defaults for every option`);
  }
});
