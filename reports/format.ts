import type { AttackResult } from '../core/results.js';

/**
 * Numbers and names as a person writes them, shared by the HTML and Markdown reports. Every
 * function takes undefined (a metric an attack did not report) and shows a dash.
 */

/** Metric keys the membership attacks report; the verdict, scores and summary read these. */
export const AUC = 'auc';
export const TPR_AT_01 = 'tprAt1e-3';
export const TPR_AT_1 = 'tprAt1e-2';

export const DASH = '\u2014';

/** 100%, 99.4%, 5.68%, 0.48%, 0.080%: two decimals at most, two significant digits below 0.1%. */
export function percent(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return DASH;
  const p = v * 100;
  const a = Math.abs(p);
  if (a === 0) return '0%';
  if (a < 0.001) return '<0.001%';
  return `${a >= 100 ? p.toFixed(0) : a >= 10 ? p.toFixed(1) : a >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}%`;
}

export function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return DASH;
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}

/** A difference of two rates, in percentage points. */
export function pp(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? DASH : `${(v * 100).toFixed(1)} pp`;
}

export function seconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return DASH;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** A rate as people count: 59 in 100, 42 in 1,000, 3 in 10,000. */
export function inWords(rate: number): string {
  if (rate >= 0.0995) return `${Math.round(rate * 100)} in 100`;
  if (rate >= 0.00095) return `${Math.round(rate * 1000)} in 1,000`;
  return `${Math.round(rate * 10000)} in 10,000`;
}

// Rates (true/false positive rates, attack success, accuracy, advantage) read best as percents.
const RATE_KEY = /^(tpr|fpr|calibratedTpr|calibratedFpr|asr|ppv|advantage|balancedAccuracy|accuracy)/i;

/** 1e-3 -> "0.1%". */
const fprText = (fpr: string): string => `${Number((Number(fpr) * 100).toPrecision(3))}%`;

const NAMED: Record<string, string> = {
  [AUC]: 'AUC',
  advantage: 'Membership advantage',
  balancedAccuracy: 'Balanced accuracy',
  epsilonLowerBound: 'Empirical ε lower bound',
};

export function metricLabel(key: string): string {
  if (NAMED[key]) return NAMED[key];
  const m = /^(calibrated)?(Tpr|Fpr|tpr)At(.+)$/.exec(key);
  if (!m || !Number.isFinite(Number(m[3]))) return key;
  if (!m[1]) return `TPR at ${fprText(m[3])} FPR`;
  return m[2] === 'Tpr' ? `TPR, threshold calibrated for ${fprText(m[3])} FPR` : `FPR, threshold calibrated for ${fprText(m[3])} FPR`;
}

export function formatMetric(key: string, v: number | undefined): string {
  if (key === AUC) return v === undefined ? DASH : v.toFixed(3);
  return RATE_KEY.test(key) ? percent(v) : num(v);
}

export function metricValue(a: AttackResult | undefined, key: string): string {
  return formatMetric(key, a?.metrics[key]?.value);
}

export function valueText(v: unknown): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(', ');
  return JSON.stringify(v) ?? String(v);
}

export function variantText(variant: Record<string, unknown>): string {
  const entries = Object.entries(variant);
  return entries.length ? entries.map(([k, v]) => `${k} = ${valueText(v)}`).join(', ') : 'base configuration';
}

/** A score for people: "56", or "n/a". */
export const scoreText = (value: number | null | undefined): string => (value === null || value === undefined ? 'n/a' : String(value));
