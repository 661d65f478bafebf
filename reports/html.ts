import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { AttackResult, ExperimentResult, Results } from '../core/results.js';
import { PACKAGE_ROOT } from '../core/version.js';
import { lineSvg } from './svg/line.js';
import { rocSvg } from './svg/roc.js';

/** Metric keys the membership attacks report; the verdict and summary read these. */
export const AUC = 'auc';
export const TPR_AT_01 = 'tprAt1e-3';
export const TPR_AT_1 = 'tprAt1e-2';

const DASH = '\u2014';

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

// Rates (true/false positive rates, attack success, accuracy, advantage) read best as percents.
const RATE_KEY = /^(tpr|fpr|asr|ppv|advantage|accuracy)/i;

export function metricLabel(key: string): string {
  if (key === AUC) return 'AUC';
  if (key === 'advantage') return 'Membership advantage';
  const tpr = /^tprAt(.+)$/.exec(key);
  if (tpr && Number.isFinite(Number(tpr[1]))) return `TPR at ${Number((Number(tpr[1]) * 100).toPrecision(3))}% FPR`;
  return key;
}

export function formatMetric(key: string, v: number | undefined): string {
  if (key === AUC) return v === undefined ? DASH : v.toFixed(3);
  return RATE_KEY.test(key) ? percent(v) : num(v);
}

export function metricValue(a: AttackResult | undefined, key: string): string {
  return formatMetric(key, a?.metrics[key]?.value);
}

export function variantText(variant: Record<string, unknown>): string {
  const entries = Object.entries(variant);
  return entries.length ? entries.map(([k, v]) => `${k} = ${valueText(v)}`).join(', ') : 'base configuration';
}

function valueText(v: unknown): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(', ');
  return JSON.stringify(v) ?? String(v);
}

/** Nested options as dotted names (`dp.clip`), one per line of a definition list. */
function optionRows(record: Record<string, unknown>, prefix = ''): { name: string; text: string }[] {
  return Object.entries(record).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? optionRows(v as Record<string, unknown>, `${prefix}${k}.`)
      : [{ name: prefix + k, text: valueText(v) }],
  );
}

/**
 * The attack that leaks most: highest TPR at 0.1% FPR, then highest AUC (Carlini et al. 2022:
 * the low-FPR rate, not AUC, says whether anyone can be singled out). Attacks reporting neither
 * (poisoning, for one) are not ranked.
 */
export function strongestAttack(attacks: AttackResult[]): AttackResult | undefined {
  const key = (a: AttackResult): [number, number] => [a.metrics[TPR_AT_01]?.value ?? -1, a.metrics[AUC]?.value ?? -1];
  let best: AttackResult | undefined;
  for (const a of attacks) {
    const [t, u] = key(a);
    if (t < 0 && u < 0) continue;
    const b = best && key(best);
    if (!b || t > b[0] || (t === b[0] && u > b[1])) best = a;
  }
  return best;
}

/** One plain-language sentence on the worst leakage across all experiments. */
export function verdictSentence(r: Results): string {
  const n = r.experiments.length;
  const candidates = r.experiments.flatMap((e) => {
    const a = strongestAttack(e.attacks);
    return a ? [{ e, a }] : [];
  });
  const worst = strongestAttack(candidates.map((c) => c.a));
  const hit = candidates.find((c) => c.a === worst);
  if (!hit) return `No membership attack in the ${n} experiment${n === 1 ? '' : 's'} reports a TPR or an AUC.`;
  const tpr = hit.a.metrics[TPR_AT_01]?.value;
  const aucValue = hit.a.metrics[AUC]?.value;
  const parts = [`Across ${n} experiment${n === 1 ? '' : 's'}, the strongest attack is ${hit.a.title} on \u201c${hit.e.name}\u201d`];
  if (tpr !== undefined) {
    const lift = tpr / 1e-3;
    const vsChance = lift <= 1.5 ? 'no better than guessing' : `${lift >= 10 ? Math.round(lift) : lift.toFixed(1)} times what guessing finds`;
    parts.push(`: it picks out ${percent(tpr)} of training records while wrongly flagging only 0.1% of non-members, ${vsChance}`);
  }
  if (aucValue !== undefined) parts.push(`${tpr !== undefined ? ';' : ':'} AUC ${formatMetric(AUC, aucValue)} (0.5 = guessing)`);
  return `${parts.join('')}.`;
}

/** JSON that is safe inside <script>: no `</script>` or `<!--` can form, U+2028/9 stay escaped. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The smallest FPR the data can resolve, rounded down to a decade, but no lower than 1e-4. */
function rocFloor(e: ExperimentResult): number {
  const most = Math.max(1, ...e.attacks.map((a) => a.nonMembers));
  return Math.max(1e-4, 10 ** Math.floor(Math.log10(1 / most)));
}

function experimentView(e: ExperimentResult, i: number) {
  const withRoc = e.attacks.filter((a) => a.roc?.length);
  return {
    ...e,
    anchor: `experiment-${i + 1}`,
    number: i + 1,
    variantText: variantText(e.variant),
    datasetOptions: optionRows(e.configuration.dataset),
    modelOptions: optionRows(e.configuration.model),
    trainingOptions: optionRows(e.configuration.training),
    splitRows: optionRows(e.configuration.split),
    defensesText: e.configuration.defenses.length ? e.configuration.defenses.join(', ') : 'none',
    gap: e.utility.trainAccuracy - e.utility.testAccuracy,
    strongest: strongestAttack(e.attacks),
    rocSvg: withRoc.length ? rocSvg(withRoc.map((a) => ({ label: a.title, points: a.roc ?? [] })), rocFloor(e)) : '',
    lossSvg: e.utility.lossCurve.length ? lineSvg(e.utility.lossCurve, 'epoch') : '',
    attacks: e.attacks.map((a) => ({
      ...a,
      needs: a.requiredObservations.join(', '),
      metricRows: Object.entries(a.metrics).map(([key, m]) => ({
        label: metricLabel(key),
        text: formatMetric(key, m.value),
        interval: m.low !== undefined && m.high !== undefined ? `[${formatMetric(key, m.low)}, ${formatMetric(key, m.high)}]` : '',
        note: m.note ?? '',
      })),
    })),
  };
}

let template: Handlebars.TemplateDelegate | undefined;

function compiled(): Handlebars.TemplateDelegate {
  if (template) return template;
  const hb = Handlebars.create();
  hb.registerHelper({
    percent: (v: unknown) => percent(typeof v === 'number' ? v : undefined),
    num: (v: unknown) => num(typeof v === 'number' ? v : undefined),
    seconds: (v: unknown) => seconds(typeof v === 'number' ? v : undefined),
    pp: (v: unknown) => pp(typeof v === 'number' ? v : undefined),
    metric: (a: AttackResult | undefined, key: string) => metricValue(a, key),
    date: (iso: string) => formatDate(iso),
  });
  const src = readFileSync(join(PACKAGE_ROOT, 'reports/templates/report.hbs'), 'utf8');
  template = hb.compile(src, { strict: true });
  return template;
}

/** The self-contained HTML report: no script runs, no request leaves the file. */
export function renderHtml(results: Results): string {
  return compiled()({
    ...results,
    verdict: verdictSentence(results),
    durationSeconds: (Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 1000,
    experiments: results.experiments.map(experimentView),
    json: embedJson(results),
  });
}
