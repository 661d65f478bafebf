import { escapeXml, fmt } from './line.js';

/** One configuration of a sweep: its epsilon (Infinity = trained without DP) and what it scored. */
export interface EpsilonPoint {
  epsilon: number;
  value: number;
}

export interface EpsilonSeries {
  label: string;
  points: EpsilonPoint[];
}

const LAYOUT = { width: 340, height: 214, left: 52, right: 14, top: 28, bottom: 40 } as const;
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7'];
const MARKS = ['circle', 'square'] as const;

const pct = (v: number): string => `${Number((v * 100).toPrecision(2))}%`;

/**
 * A value against the privacy budget epsilon, as the DP literature draws its privacy-utility
 * trade-off: epsilon on a log axis, the non-private run (epsilon = infinity) at the right edge.
 * `log` puts the value on a log axis too (leakage rates span decades); otherwise 0 to 100%.
 */
export function epsilonCurveSvg(title: string, series: EpsilonSeries[], log = false): string {
  const { width, height, left, right, top, bottom } = LAYOUT;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const finite = series.flatMap((s) => s.points.map((p) => p.epsilon)).filter(Number.isFinite);
  const lo = Math.log10(Math.min(...finite) / 1.5);
  const hi = Math.log10(Math.max(...finite) * 1.5);
  // The last 14% of the axis is the "no DP" slot.
  const x = (eps: number): number => left + (Number.isFinite(eps) ? ((Math.log10(eps) - lo) / (hi - lo || 1)) * plotW * 0.82 : plotW * 0.94);
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  // Log axes span at least two decades down to the smallest positive value (never below 1e-4).
  const floor = log ? Math.max(1e-4, 10 ** Math.floor(Math.log10(Math.min(1e-2, ...values.filter((v) => v > 0))))) : 0;
  const yFrac = (v: number): number => (log ? (Math.log10(Math.max(floor, v)) - Math.log10(floor)) / -Math.log10(floor) : v);
  const y = (v: number): number => top + (1 - yFrac(Math.min(1, v))) * plotH;
  const parts: string[] = [`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`];
  const ticks = log ? Array.from({ length: -Math.log10(floor) + 1 }, (_, k) => floor * 10 ** k) : [0, 0.25, 0.5, 0.75, 1];
  for (const t of ticks) {
    parts.push(
      `<line x1="${left}" y1="${fmt(y(t))}" x2="${left + plotW}" y2="${fmt(y(t))}" stroke="#eee"/>`,
      `<text x="${left - 4}" y="${fmt(y(t) + 4)}" text-anchor="end">${pct(t)}</text>`,
    );
  }
  for (const eps of [...new Set(finite)].sort((a, b) => a - b)) {
    parts.push(`<text x="${fmt(x(eps))}" y="${top + plotH + 14}" text-anchor="middle">${Number(eps.toPrecision(2))}</text>`);
  }
  if (series.some((s) => s.points.some((p) => !Number.isFinite(p.epsilon)))) {
    parts.push(`<text x="${fmt(x(Infinity))}" y="${top + plotH + 14}" text-anchor="middle">no DP</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">privacy budget epsilon (log scale)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = [...s.points].sort((a, b) => x(a.epsilon) - x(b.epsilon));
    parts.push(`<polyline points="${pts.map((p) => `${fmt(x(p.epsilon))},${fmt(y(p.value))}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of pts) {
      parts.push(
        MARKS[i % 2] === 'circle'
          ? `<circle cx="${fmt(x(p.epsilon))}" cy="${fmt(y(p.value))}" r="3.5" fill="${color}"/>`
          : `<rect x="${fmt(x(p.epsilon) - 3.5)}" y="${fmt(y(p.value) - 3.5)}" width="7" height="7" fill="${color}"/>`,
      );
    }
    // The legend sits above the plot, side by side, where no data point can hide it.
    const lx = left + i * 150;
    parts.push(
      `<line x1="${lx}" y1="${top - 12}" x2="${lx + 18}" y2="${top - 12}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 22}" y="${top - 8}">${escapeXml(s.label)}</text>`,
    );
  });
  return (
    `<svg class="epsilon-curve" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-label="${escapeXml(title)}" font-size="11">${parts.join('')}</svg>`
  );
}
