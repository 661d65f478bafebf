import { escapeXml, fmt } from './line.js';

export interface FrontierPoint {
  /** The experiment's number in the report, drawn beside its marker. */
  number: number;
  name: string;
  /** Worst TPR at 0.1% FPR over the experiment's attacks. */
  leakage: number;
  testAccuracy: number;
  trainingSeconds: number;
  /**
   * Points compete only within their group: configurations are alternatives when they learn
   * the same task, so the caller groups by dataset (an MNIST model does not dominate a
   * Purchase model by being more accurate on an easier task).
   */
  group: string;
}

/**
 * Which points are Pareto-optimal on leakage (lower is better) and accuracy (higher is better):
 * no other point of the same group is at least as good on both and better on one. Equal
 * points are all optimal.
 */
export function paretoOptimal(points: Pick<FrontierPoint, 'leakage' | 'testAccuracy' | 'group'>[]): boolean[] {
  return points.map(
    (p) =>
      !points.some(
        (q) =>
          q.group === p.group &&
          q.leakage <= p.leakage &&
          q.testAccuracy >= p.testAccuracy &&
          (q.leakage < p.leakage || q.testAccuracy > p.testAccuracy),
      ),
  );
}

export const FRONTIER_LAYOUT = { width: 720, height: 380, left: 64, right: 24, top: 16, bottom: 52 } as const;

const CHANCE = 1e-3;
const MAX_NAME = 36;
const pct = (v: number): string => `${Number((v * 100).toPrecision(2))}%`;

/**
 * The privacy-utility-cost trade-off of all experiments in one scatter: leakage (worst TPR at
 * 0.1% FPR) on a log axis, test accuracy up, marker area proportional to training time.
 * Pareto-optimal experiments are filled, joined per group by the frontier's staircase and
 * named; the others are hollow and numbered. Leakage of 0 sits on the axis floor.
 */
export function frontierSvg(points: FrontierPoint[]): string {
  const { width, height, left, right, top, bottom } = FRONTIER_LAYOUT;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const positive = points.map((p) => p.leakage).filter((v) => v > 0);
  // One decade below the least leakage (and below chance), so every point and the chance line show.
  const floor = Math.max(1e-5, Math.min(1e-4, 10 ** Math.floor(Math.log10(Math.min(CHANCE, ...positive)) - 1e-9)));
  const decades = -Math.log10(floor);
  const x = (v: number): number => left + ((Math.log10(Math.min(1, Math.max(floor, v))) + decades) / decades) * plotW;
  const minAcc = Math.min(...points.map((p) => p.testAccuracy));
  const step = 1 - minAcc > 0.3 ? 0.1 : 0.05;
  const lo = Math.max(0, Math.floor((minAcc - 0.02) / step) * step);
  const y = (v: number): number => top + (1 - (v - lo) / (1 - lo)) * plotH;
  const maxSeconds = Math.max(...points.map((p) => p.trainingSeconds), 1e-9);
  const radius = (s: number): number => Math.max(4, 14 * Math.sqrt(Math.max(0, s) / maxSeconds));

  const parts: string[] = [];
  for (let e = Math.ceil(-decades - 1e-9); e <= 0; e++) {
    const v = 10 ** e;
    parts.push(
      `<line x1="${fmt(x(v))}" y1="${top}" x2="${fmt(x(v))}" y2="${top + plotH}" stroke="#e3e3e3"/>`,
      `<text x="${fmt(x(v))}" y="${top + plotH + 16}" text-anchor="middle">${pct(v)}</text>`,
    );
  }
  for (let k = 0; lo + k * step <= 1 + 1e-9; k++) {
    const v = lo + k * step;
    parts.push(
      `<line x1="${left}" y1="${fmt(y(v))}" x2="${left + plotW}" y2="${fmt(y(v))}" stroke="#e3e3e3"/>`,
      `<text x="${left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${Math.round(v * 100)}%</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#666"/>`,
    `<line x1="${fmt(x(CHANCE))}" y1="${top}" x2="${fmt(x(CHANCE))}" y2="${top + plotH}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${fmt(x(CHANCE) + 4)}" y="${top + 14}" fill="#666">guessing</text>`,
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">Leakage: training records an attacker finds at 0.1% false accusations (log scale)</text>`,
    `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">Test accuracy</text>`,
  );

  const optimal = paretoOptimal(points);
  // Each group's frontier as a staircase: what lies below and right of it is dominated.
  for (const group of new Set(points.map((p) => p.group))) {
    const front = points.filter((p, i) => optimal[i] && p.group === group).sort((a, b) => a.leakage - b.leakage || a.testAccuracy - b.testAccuracy);
    if (front.length < 2) continue;
    const stairs = front.flatMap((p, i) => (i === 0 ? [[p.leakage, p.testAccuracy]] : [[p.leakage, front[i - 1].testAccuracy], [p.leakage, p.testAccuracy]]));
    parts.push(`<polyline class="staircase" points="${stairs.map(([l, a]) => `${fmt(x(l))},${fmt(y(a))}`).join(' ')}" fill="none" stroke="#0b57d0" stroke-width="1.5"/>`);
  }

  // Larger markers first, so a small one is never hidden under a large one.
  const order = points.map((_, i) => i).sort((a, b) => points[b].trainingSeconds - points[a].trainingSeconds);
  const placed: { x: number; y: number }[] = [];
  for (const i of order) {
    const p = points[i];
    const cx = x(p.leakage);
    const cy = y(p.testAccuracy);
    const r = radius(p.trainingSeconds);
    parts.push(
      `<circle class="${optimal[i] ? 'pareto' : 'dominated'}" cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" ` +
        (optimal[i] ? `fill="#0b57d0" fill-opacity="0.75" stroke="#0b57d0"` : `fill="#fff" fill-opacity="0.6" stroke="#5f6368" stroke-width="1.5"`) +
        `/>`,
    );
    const name = p.name.length > MAX_NAME ? `${p.name.slice(0, MAX_NAME - 1)}…` : p.name;
    const label = optimal[i] ? `${p.number} · ${name}` : String(p.number);
    // Labels go right of the marker (left near the right edge), nudged down past earlier ones.
    const rightSide = cx + r + 4 + label.length * 6.5 < left + plotW;
    const lx = rightSide ? cx + r + 4 : cx - r - 4;
    let ly = cy + 4;
    while (placed.some((q) => Math.abs(q.y - ly) < 13 && Math.abs(q.x - lx) < 120)) ly += 13;
    placed.push({ x: lx, y: ly });
    parts.push(`<text x="${fmt(lx)}" y="${fmt(ly)}"${rightSide ? '' : ' text-anchor="end"'}${optimal[i] ? ' font-weight="600"' : ''}>${escapeXml(label)}</text>`);
  }

  return (
    `<svg class="frontier" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-label="Leakage against test accuracy for every experiment; Pareto-optimal ones filled" font-size="12">${parts.join('')}</svg>`
  );
}
