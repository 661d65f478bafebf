import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'harness', 'cli.js');

/** Runs the built CLI as a user would, in a non-TTY (CI-like) environment; `env` adds variables. */
export function runCli(args: string[], cwd = PACKAGE_ROOT, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
    timeout: 10 * 60 * 1000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
