import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirAtomic, writeFileAtomic } from '../../core/atomic.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ppml-atomic-'));
}

test('writeFileAtomic writes the content, creates parents, and leaves no temp file', async () => {
  const root = await scratch();
  try {
    const path = join(root, 'sub', 'out.json');
    await writeFileAtomic(path, '{"a":1}');
    assert.equal(await readFile(path, 'utf8'), '{"a":1}');
    await writeFileAtomic(path, new Uint8Array([104, 105]));
    assert.equal(await readFile(path, 'utf8'), 'hi');
    assert.deepEqual(await readdir(join(root, 'sub')), ['out.json']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('writeFileAtomic failing leaves no temp file', async () => {
  const root = await scratch();
  try {
    const path = join(root, 'isdir');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'x');
    await assert.rejects(writeFileAtomic(path, 'data'));
    assert.deepEqual(await readdir(root), ['isdir']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('writeDirAtomic replaces an existing dir on success', async () => {
  const root = await scratch();
  try {
    const dir = join(root, 'report');
    await mkdir(dir);
    await writeFile(join(dir, 'old.txt'), 'old');
    await writeDirAtomic(dir, async (tmp) => {
      await writeFile(join(tmp, 'new.txt'), 'new');
    });
    assert.deepEqual(await readdir(dir), ['new.txt']);
    assert.equal(await readFile(join(dir, 'new.txt'), 'utf8'), 'new');
    assert.deepEqual(await readdir(root), ['report']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('writeDirAtomic leaves the old dir intact and no hidden temp dir when fill throws', async () => {
  const root = await scratch();
  try {
    const dir = join(root, 'report');
    await mkdir(dir);
    await writeFile(join(dir, 'old.txt'), 'old');
    await assert.rejects(
      writeDirAtomic(dir, async (tmp) => {
        await writeFile(join(tmp, 'partial.txt'), 'half');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await readdir(dir), ['old.txt']);
    assert.equal(await readFile(join(dir, 'old.txt'), 'utf8'), 'old');
    assert.deepEqual(await readdir(root), ['report']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('writeDirAtomic with a failing fill and no existing dir creates nothing', async () => {
  const root = await scratch();
  try {
    await assert.rejects(
      writeDirAtomic(join(root, 'fresh'), async () => {
        throw new Error('nope');
      }),
    );
    assert.deepEqual(await readdir(root), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
