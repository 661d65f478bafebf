import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { attacks } from '../../attacks/index.js';
import { PACKAGE_ROOT } from '../../core/version.js';

test('attacks registry ids match the plugin files under attacks/membership', () => {
  const files = readdirSync(join(PACKAGE_ROOT, 'attacks', 'membership'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'evaluate.ts')
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
  assert.ok(files.length > 0);
  assert.deepEqual([...attacks.ids()].sort(), files);
  for (const a of attacks.list()) assert.equal(a.family, 'membership');
});
