import type { Results } from '../core/results.js';
import { scoredExperiments, strongestAttack, verdict } from './findings.js';
import { AUC, DASH, metricValue, percent, pp, scoreText, seconds, TPR_AT_01, TPR_AT_1, variantText } from './format.js';

/** User text made safe for one table cell or heading: no row break, no column break, no HTML. */
export function markdownCell(s: string): string {
  return s.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

const cell = markdownCell;
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const rule = (aligns: ('l' | 'r')[]): string => row(aligns.map((a) => (a === 'r' ? '---:' : '---')));

/** `summary.md`, short enough for a GitHub step summary. */
export function renderMarkdown(r: Results): string {
  const v = verdict(r);
  const lines = [
    `# Privacy audit: ${cell(r.suite.name)}`,
    '',
    `**${cell(v.headline)}.** ${cell(v.leak)}`,
    '',
    ...(v.best ? [cell(v.best), ''] : []),
    `**${cell(v.gates)}**${r.redacted ? ' Redacted: record ids and labels are left out.' : ''}`,
    '',
    row(['Experiment', 'Variant', 'Privacy', 'Utility', 'Cost', 'Test acc.', 'Gap', 'Strongest attack', 'AUC', 'TPR @ 0.1% FPR', 'TPR @ 1% FPR', 'Training']),
    rule(['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r']),
  ];
  for (const e of scoredExperiments(r)) {
    const s = strongestAttack(e.attacks);
    lines.push(
      row([
        cell(e.name),
        cell(variantText(e.variant)),
        scoreText(e.scores.privacy.value),
        scoreText(e.scores.utility.value),
        scoreText(e.scores.cost.value),
        percent(e.utility.testAccuracy),
        pp(e.utility.trainAccuracy - e.utility.testAccuracy),
        s ? cell(s.title) : DASH,
        metricValue(s, AUC),
        metricValue(s, TPR_AT_01),
        metricValue(s, TPR_AT_1),
        seconds(e.costs.trainingSeconds),
      ]),
    );
  }
  lines.push('', 'Scores are 0-100 (90+ good, 50+ needs attention, below 50 poor); report.html shows their formulas.');
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
