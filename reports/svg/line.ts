/** Two decimals at most: enough for a few-hundred-pixel viewBox, and it keeps the report small. */
export const fmt = (v: number): string => String(Math.round(v * 100) / 100);

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LAYOUT = { width: 280, height: 120, left: 44, right: 10, top: 10, bottom: 26 } as const;

/** A small line chart of one series against its index (a loss per epoch), min and max labelled. */
export function lineSvg(values: number[], label: string): string {
  const { width, height, left, right, top, bottom } = LAYOUT;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const x = (i: number): number => left + (values.length > 1 ? (i / (values.length - 1)) * plotW : plotW / 2);
  const y = (v: number): number => top + (1 - (v - lo) / span) * plotH;
  const num = (v: number): string => String(Number(v.toPrecision(3)));
  const pts = values.map((v, i) => `${fmt(x(i))},${fmt(y(v))}`).join(' ');
  return (
    `<svg class="line" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-label="${escapeXml(label)}" font-size="11">` +
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#bbb"/>` +
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end">${num(hi)}</text>` +
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end">${num(lo)}</text>` +
    `<text x="${left}" y="${height - 8}">1</text>` +
    `<text x="${left + plotW}" y="${height - 8}" text-anchor="end">${values.length}</text>` +
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(label)}</text>` +
    (values.length > 1
      ? `<polyline points="${pts}" fill="none" stroke="#0072b2" stroke-width="2"/>`
      : `<circle cx="${fmt(x(0))}" cy="${fmt(y(values[0]))}" r="3" fill="#0072b2"/>`) +
    `</svg>`
  );
}
