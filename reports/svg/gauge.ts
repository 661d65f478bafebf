import type { Band } from '../../core/results.js';
import { escapeXml, fmt } from './line.js';

/**
 * Lighthouse's colours: the arc in the bright tone, the number in a darker one that keeps a 4.5:1
 * contrast on white. Colour is never the only carrier: the number and the band word go with it.
 */
export const BAND_COLORS: Record<Band, { arc: string; text: string; fill: string }> = {
  good: { arc: '#0cce6b', text: '#008800', fill: '#e6f9ee' },
  average: { arc: '#ffa400', text: '#c33300', fill: '#fff3e0' },
  poor: { arc: '#ff4e42', text: '#cc0000', fill: '#ffebe9' },
  'n/a': { arc: '#9aa0a6', text: '#5f6368', fill: '#f1f3f4' },
};

const R = 42;
const CIRCUMFERENCE = 2 * Math.PI * R;

/**
 * A Lighthouse-style score gauge: a ring filled to the score, the number in the middle. `size`
 * is the rendered width in pixels; the drawing scales. An n/a score shows an empty grey ring.
 */
export function gaugeSvg(label: string, value: number | null, band: Band, size = 96): string {
  const c = BAND_COLORS[band];
  const arc = value === null ? 0 : (Math.max(0, Math.min(100, value)) / 100) * CIRCUMFERENCE;
  const text = value === null ? 'n/a' : String(value);
  return (
    `<svg class="gauge gauge-${band === 'n/a' ? 'na' : band}" viewBox="0 0 100 100" width="${size}" height="${size}" role="img" ` +
    `aria-label="${escapeXml(`${label}: ${value === null ? 'not applicable' : `${value} of 100`}`)}">` +
    `<circle cx="50" cy="50" r="${R}" fill="${c.fill}" stroke="#e0e0e0" stroke-width="8"/>` +
    (arc > 0
      ? `<circle cx="50" cy="50" r="${R}" fill="none" stroke="${c.arc}" stroke-width="8" stroke-linecap="round" ` +
        `stroke-dasharray="${fmt(arc)} ${fmt(CIRCUMFERENCE)}" transform="rotate(-90 50 50)"/>`
      : '') +
    `<text x="50" y="50" dy="0.35em" text-anchor="middle" font-size="${value === null ? 24 : 32}" font-weight="600" fill="${c.text}">${text}</text>` +
    `</svg>`
  );
}
