import type { Results } from '../core/results.js';
import { AUC, metricValue, percent, pp, seconds, strongestAttack, TPR_AT_01, TPR_AT_1, variantText, verdictSentence } from './html.js';

/** User text made safe for one table cell or heading: no row break, no column break, no HTML. */
function cell(s: string): string {
  return s.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const rule = (aligns: ('l' | 'r')[]): string => row(aligns.map((a) => (a === 'r' ? '---:' : '---')));

/** `summary.md`, short enough for a GitHub step summary. */
export function renderMarkdown(r: Results): string {
  const lines = [
    `# Privacy audit: ${cell(r.suite.name)}`,
    '',
    `**Verdict:** ${cell(verdictSentence(r))}`,
    '',
    row(['Experiment', 'Variant', 'Train acc.', 'Test acc.', 'Gap', 'Strongest attack', 'AUC', 'TPR @ 0.1% FPR', 'TPR @ 1% FPR', 'Training']),
    rule(['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r']),
  ];
  for (const e of r.experiments) {
    const s = strongestAttack(e.attacks);
    lines.push(
      row([
        cell(e.name),
        cell(variantText(e.variant)),
        percent(e.utility.trainAccuracy),
        percent(e.utility.testAccuracy),
        pp(e.utility.trainAccuracy - e.utility.testAccuracy),
        s ? cell(s.title) : '\u2014',
        metricValue(s, AUC),
        metricValue(s, TPR_AT_01),
        metricValue(s, TPR_AT_1),
        seconds(e.costs.trainingSeconds),
      ]),
    );
  }
  for (const e of r.experiments) {
    lines.push('', `## ${cell(e.name)}`, '');
    if (!e.attacks.length) {
      lines.push('No attack ran on this experiment.');
      continue;
    }
    lines.push(row(['Attack', 'AUC', 'TPR @ 0.1% FPR', 'TPR @ 1% FPR', 'Finding']), rule(['l', 'r', 'r', 'r', 'l']));
    for (const a of e.attacks) {
      lines.push(row([cell(a.title), metricValue(a, AUC), metricValue(a, TPR_AT_01), metricValue(a, TPR_AT_1), cell(a.finding)]));
    }
  }
  lines.push('', `<sub>ppml-audit ${cell(r.tool.version)} · suite ${cell(r.suite.file)} · seed ${r.seed}</sub>`, '');
  return lines.join('\n');
}
