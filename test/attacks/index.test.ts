import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { attacks } from '../../attacks/index.js';
import { PACKAGE_ROOT } from '../../core/version.js';

// Each family's folder under attacks/, and the family its plugins declare.
const FOLDERS = { membership: 'membership', audit: 'audit' } as const;

test('the attacks registry holds exactly the attack plugins exported under attacks/<family>/', async () => {
  const exported: string[] = [];
  for (const [folder, family] of Object.entries(FOLDERS)) {
    const dir = join(PACKAGE_ROOT, 'dist', 'attacks', folder);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const mod = (await import(pathToFileURL(join(dir, f)).href)) as Record<string, unknown>;
      for (const v of Object.values(mod)) {
        const p = v as { id?: unknown; family?: unknown };
        if (p && typeof p === 'object' && typeof p.id === 'string' && typeof p.family === 'string') {
          exported.push(p.id);
          assert.equal(p.family, family, `${folder}/${f}`);
          // One plugin per file, named for it.
          assert.equal(f, `${p.id}.js`);
        }
      }
    }
  }
  assert.ok(exported.length >= 12);
  assert.deepEqual([...attacks.ids()].sort(), exported.sort());
});
