import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../core/version.js';
import { chromiumPath, findChromium, withChromium } from '../../harness/chromium.js';
import { renderPdf } from '../../harness/pdf.js';
import { renderHtml } from '../../reports/html.js';
import { makeOutcome } from '../fixtures/gates.js';
import { makeResults } from '../fixtures/results.js';

const CHROMIUM = findChromium();
const SKIP = CHROMIUM ? false : `chromium not found at ${chromiumPath()}: install Debian chromium (or set CHROMIUM_PATH) to run the browser tests`;
const SHOTS = join(PACKAGE_ROOT, 'out/test');

function reportFile(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ppml-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.html');
  const results = makeResults({ gates: [makeOutcome()] });
  writeFileSync(file, renderHtml(results));
  return file;
}

test('the report opens from disk with no request, no console error, every section visible', { skip: SKIP }, async (t) => {
  const file = reportFile(t);
  const url = pathToFileURL(file).href;
  await withChromium(CHROMIUM!, async (context) => {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });

    const experiments = makeResults().experiments.length;
    const sections = ['#cover', '#verdict', '#summary', '#frontier', '#gates', ...Array.from({ length: experiments }, (_, i) => `#experiment-${i + 1}`), '#methods', '#reproducibility'];
    for (const s of sections) assert.ok(await page.locator(s).isVisible(), `${s} visible`);
    assert.equal(await page.locator('svg.roc').count(), experiments);
    assert.equal(await page.locator('svg.gauge').count(), 3 * experiments);
    assert.equal(await page.locator('svg.frontier').count(), 1);
    // The verdict is on the first screen: what a reader sees before scrolling.
    const verdict = await page.locator('#verdict').boundingBox();
    assert.ok(verdict && verdict.y + verdict.height <= 800, `verdict ends at ${verdict?.y}+${verdict?.height}`);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'report-first-screen.png') });
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });
  });
  assert.ok(readFileSync(join(SHOTS, 'report-first-screen.png')).length > 0);
});

test('report prints to PDF through the local Chromium', { skip: SKIP }, async (t) => {
  const file = reportFile(t);
  const pdf = join(SHOTS, 'report.pdf');
  mkdirSync(SHOTS, { recursive: true });
  await renderPdf(file, pdf);
  const bytes = readFileSync(pdf);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  // Print CSS starts every experiment and the methods on a new page: cover + 2 + methods at least.
  const pages = bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  assert.ok(pages >= 4, `${pages} pages`);
});
