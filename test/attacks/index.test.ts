import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { attacks } from '../../attacks/index.js';
import { PACKAGE_ROOT } from '../../core/version.js';

test('the attacks registry holds exactly the attack plugins exported under attacks/membership', async () => {
  const dir = join(PACKAGE_ROOT, 'dist', 'attacks', 'membership');
  const exported: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      const p = v as { id?: unknown; family?: unknown; score?: unknown };
      if (p && typeof p === 'object' && typeof p.id === 'string' && p.family === 'membership' && typeof p.score === 'function') {
        exported.push(p.id);
        // One plugin per file, named for it.
        assert.equal(f, `${p.id}.js`);
      }
    }
  }
  assert.ok(exported.length >= 10);
  assert.deepEqual([...attacks.ids()].sort(), exported.sort());
});
