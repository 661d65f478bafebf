import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../core/atomic.js';
import { InputError } from '../core/errors.js';
import { chromiumPath, findChromium, withChromium } from './chromium.js';

// Page numbers at the foot of each page; Chromium fills the span classes in. No user text here.
const FOOTER =
  '<div style="width:100%;font-size:8px;color:#555;text-align:center;">' +
  '<span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/**
 * Prints a report.html already on disk to PDF through a local Chromium: the same document, so
 * the report's print CSS (page breaks, no backgrounds, A4) decides the layout.
 */
export async function renderPdf(htmlFile: string, pdfFile: string): Promise<void> {
  const executable = findChromium();
  if (!executable) {
    throw new InputError(
      `no Chromium found at ${chromiumPath()} to print with; install one (Debian: apt-get install chromium) ` +
        'or set CHROMIUM_PATH to its executable. The HTML report was written.',
      { field: '--pdf' },
    );
  }
  const pdf = await withChromium(executable, async (context) => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    return page.pdf({ preferCSSPageSize: true, printBackground: false, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER });
  });
  await writeFileAtomic(pdfFile, pdf);
}
