import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Where Chromium is looked for: $CHROMIUM_PATH, else Debian's package path. */
export const chromiumPath = (env: NodeJS.ProcessEnv = process.env): string => env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The Chromium executable, or undefined when none is installed where we look. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = chromiumPath(env);
  return existsSync(path) ? path : undefined;
}

// Playwright adds --headless (headless: true) and --no-sandbox (chromiumSandbox: false) itself,
// and takes the profile folder as an argument, not as --user-data-dir. The rest keep a local
// render local: no GPU, no first-run UI, no background or update traffic, no sync.
const FLAGS = ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Runs `fn` in a headless Chromium on a fresh, temporary profile, deleted afterwards. Requests
 * to anything but file: and data: URLs are aborted; the report's CSP forbids them as well.
 */
export async function withChromium<T>(executablePath: string, fn: (context: BrowserContext) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: it is large, and only --pdf and the browser tests need it.
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'ppml-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      chromiumSandbox: false,
      args: FLAGS,
      viewport: { width: 1280, height: 800 },
    });
    try {
      await context.route(/^(?!file:|data:)/, (route) => route.abort());
      return await fn(context);
    } finally {
      await context.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
