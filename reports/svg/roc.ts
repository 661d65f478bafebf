import { escapeXml, fmt } from './line.js';

export interface RocSeries {
  label: string;
  points: { fpr: number; tpr: number }[];
}

/** The chart's viewBox and plot margins, exported so tests can check where a rate lands. */
export const ROC_LAYOUT = { width: 560, height: 400, left: 64, right: 16, top: 16, bottom: 52 } as const;

// Okabe-Ito colours (safe for colour-blind readers) plus dashes, so curves stay apart in grey print.
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];
const MAX_LABEL = 44;

const tickLabel = (v: number): string => `${Number((v * 100).toPrecision(1))}%`;

/**
 * ROC curves on log-log axes, as membership-inference papers draw them (Carlini et al. 2022):
 * the low-FPR corner, where an attacker is confident, gets as much room as the rest. Both axes
 * run from `floor` to 1 so the chance line is the diagonal; rates below the floor (zeros
 * included) are drawn on it.
 */
export function rocSvg(series: RocSeries[], floor = 1e-4): string {
  const { width, height, left, right, top, bottom } = ROC_LAYOUT;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const decades = -Math.log10(floor);
  const frac = (v: number): number => (Math.log10(Math.min(1, Math.max(floor, v))) + decades) / decades;
  const x = (fpr: number): number => left + frac(fpr) * plotW;
  const y = (tpr: number): number => top + (1 - frac(tpr)) * plotH;

  const parts: string[] = [];
  for (let e = Math.ceil(-decades - 1e-9); e <= 0; e++) {
    const v = 10 ** e;
    const emphasis = e === -3 ? ' stroke="#999"' : ' stroke="#e3e3e3"';
    parts.push(
      `<line x1="${fmt(x(v))}" y1="${top}" x2="${fmt(x(v))}" y2="${top + plotH}"${emphasis}/>`,
      `<line x1="${left}" y1="${fmt(y(v))}" x2="${left + plotW}" y2="${fmt(y(v))}" stroke="#e3e3e3"/>`,
      `<text x="${fmt(x(v))}" y="${top + plotH + 16}" text-anchor="middle">${tickLabel(v)}</text>`,
      `<text x="${left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${tickLabel(v)}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#666"/>`,
    `<line x1="${fmt(x(floor))}" y1="${fmt(y(floor))}" x2="${fmt(x(1))}" y2="${fmt(y(1))}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${fmt(x(0.02) + 6)}" y="${fmt(y(0.02) + 14)}" fill="#666">chance</text>`,
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">False positive rate (non-members wrongly flagged, log scale)</text>`,
    `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">True positive rate (members found, log scale)</text>`,
  );

  series.forEach((s, i) => {
    const pts = s.points.map((p) => `${fmt(x(p.fpr))},${fmt(y(p.tpr))}`).join(' ');
    const dash = DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : '';
    parts.push(`<polyline points="${pts}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"${dash}/>`);
  });

  // Legend in the lower right: below the chance line, where no useful attack's curve runs.
  const legendX = left + plotW - 250;
  series.forEach((s, i) => {
    const ly = top + plotH - 14 - (series.length - 1 - i) * 18;
    const dash = DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : '';
    const label = s.label.length > MAX_LABEL ? `${s.label.slice(0, MAX_LABEL - 1)}…` : s.label;
    parts.push(
      `<line x1="${legendX}" y1="${ly}" x2="${legendX + 24}" y2="${ly}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 30}" y="${ly + 4}">${escapeXml(label)}</text>`,
    );
  });

  return (
    `<svg class="roc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-label="ROC curves, log-log" font-size="12">${parts.join('')}</svg>`
  );
}
