import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { PACKAGE_ROOT } from '../../core/version.js';
import { renderHtml } from '../../reports/html.js';
import { makeResults } from '../fixtures/results.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

test('the report opens from disk with no request, no console error, every section visible', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not found at ${CHROMIUM}: install Debian chromium to run the browser test`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ppml-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.html');
  const results = makeResults();
  writeFileSync(file, renderHtml(results));
  const url = pathToFileURL(file).href;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });

  const sections = ['#cover', '#summary', ...results.experiments.map((_, i) => `#experiment-${i + 1}`), '#environment'];
  for (const s of sections) assert.ok(await page.locator(s).isVisible(), `${s} visible`);
  assert.equal(await page.locator('svg.roc').count(), results.experiments.length);

  const shot = join(PACKAGE_ROOT, 'out/test/report.png');
  mkdirSync(join(PACKAGE_ROOT, 'out/test'), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });

  assert.deepEqual(errors, [], 'console errors');
  assert.deepEqual(requests, [], 'network requests');
});
