import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'harness', 'cli.js');

/** A model cache of this test process's own, so tests never read or fill the project's .ppml-cache. */
const CACHE = mkdtempSync(join(tmpdir(), 'ppml-test-cache-'));
process.on('exit', () => rmSync(CACHE, { recursive: true, force: true }));

/** Runs the built CLI as a user would, in a non-TTY (CI-like) environment. */
export function runCli(args: string[], cwd = PACKAGE_ROOT, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', PPML_CACHE_DIR: CACHE, ...env },
    timeout: 10 * 60 * 1000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
