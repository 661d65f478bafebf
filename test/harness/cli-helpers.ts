import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'harness', 'cli.js');

/** A model cache of this test process's own, so tests never read or fill the project's .ppml-cache. */
const CACHE = mkdtempSync(join(tmpdir(), 'ppml-test-cache-'));
process.on('exit', () => rmSync(CACHE, { recursive: true, force: true }));

/** Runs the built CLI as a user would, in a non-TTY (CI-like) environment; `env` adds variables. */
export function runCli(args: string[], cwd = PACKAGE_ROOT, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', PPML_CACHE_DIR: CACHE, ...env },
    timeout: 10 * 60 * 1000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A suite that runs in seconds: an MLP that memorises its 200 members, so the attack leaks. */
export const TINY = `name: tiny
description: "An <b>escaped</b> description"
seed: 5
experiments:
  - name: overfit-mlp
    dataset: { id: synthetic, n: 800, features: 100, classes: 10, flip: 0.3 }
    split: { members: 200, nonMembers: 200, population: 200, test: 200 }
    model: { id: mlp, hidden: [64] }
    training: { learningRate: 0.1, batchSize: 32, epochs: 30 }
    attacks: [ { id: loss-threshold } ]
    matrix:
      training.weightDecay: [0, 0.05]
`;

/** `write(name, body)`: a file in `dir`, its path returned. */
export const fileWriter =
  (dir: string) =>
  (name: string, body: string): string => {
    const f = join(dir, name);
    writeFileSync(f, body);
    return f;
  };
