import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { expectedText, failuresFirst, foundText, gateCounts, gateStatus } from '../core/gate-status.js';
import type { AttackResult, Band, ExperimentResult, GateOutcome, Results, Scores } from '../core/results.js';
import { COST_POINTS, familyName, LOG_NORMAL_DEFINITION, PRIVACY_SIGNALS, privacyTerms, UTILITY_POINTS } from '../core/scores.js';
import { PACKAGE_ROOT } from '../core/version.js';
import { costFinding, privacyFinding, scoredExperiments, utilityFinding, verdict, type ScoredExperiment } from './findings.js';
import { formatMetric, metricLabel, num, percent, pp, scoreText, seconds, TPR_AT_01, valueText, variantText } from './format.js';
import { epsilonCurveSvg } from './svg/epsilon-curve.js';
import { frontierSvg, paretoOptimal } from './svg/frontier.js';
import { gaugeSvg } from './svg/gauge.js';
import { lineSvg } from './svg/line.js';
import { rocSvg } from './svg/roc.js';

/** JSON that is safe inside <script>: no `</script>` or `<!--` can form, U+2028/9 stay escaped. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Nested options as dotted names (`dp.clip`), one per line of a definition list. */
function optionRows(record: Record<string, unknown>, prefix = ''): { name: string; text: string }[] {
  return Object.entries(record).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? optionRows(v as Record<string, unknown>, `${prefix}${k}.`)
      : [{ name: prefix + k, text: valueText(v) }],
  );
}

/** The smallest FPR the data can resolve, rounded down to a decade, but no lower than 1e-4. */
function rocFloor(e: ExperimentResult): number {
  const most = Math.max(1, ...e.attacks.map((a) => a.nonMembers));
  return Math.max(1e-4, 10 ** Math.floor(Math.log10(1 / most)));
}

const BAND_WORDS = { good: 'good', average: 'needs attention', poor: 'poor', 'n/a': 'no comparison' } as const;

// What each attack family measures, in one sentence for the attack's card.
const FAMILY_MEASURES: Record<string, string> = {
  membership: 'Guesses, for each record, whether it was in the training data; measured by how many training records it finds for a given share of false accusations.',
  audit:
    'Tests the differential-privacy claim: it trains with planted records (canaries) and proves a lower bound on epsilon from how well it can tell which were planted. A bound above the claimed epsilon means the claim is false.',
};

const SCORE_NAMES = { privacy: 'Privacy', utility: 'Utility', cost: 'Cost' } as const;

const bandClass = (b: Band): string => (b === 'n/a' ? 'na' : b);

function gauges(scores: Scores, size: number) {
  return (Object.keys(SCORE_NAMES) as (keyof Scores)[]).map((k) => ({
    name: SCORE_NAMES[k],
    svg: gaugeSvg(SCORE_NAMES[k], scores[k].value, scores[k].band, size),
    bandClass: bandClass(scores[k].band),
    bandWord: BAND_WORDS[scores[k].band],
  }));
}

/**
 * A score's inputs for people: rates as percents, baselines by name. Privacy shows its terms
 * instead (each signal's worst value, the attack that has it, and the term's score), which
 * carry the same inputs and say which one set the minimum.
 */
function inputRows(k: keyof Scores, e: ScoredExperiment, all: ExperimentResult[]): { name: string; text: string }[] {
  if (k === 'privacy') {
    return privacyTerms(e).map((t) => ({ name: t.label, text: `${formatMetric(t.metric, t.value)} (${t.attackTitle}) scores ${t.score}` }));
  }
  return Object.entries(e.scores[k].inputs).map(([name, v]) => {
    if (typeof v === 'string') return { name, text: (name === 'baseline' && all.find((o) => o.id === v && o.seed === e.seed)?.name) || v };
    if (name === 'ratio') return { name, text: `${num(v)}×` };
    if (/seconds/i.test(name)) return { name, text: seconds(v) };
    return { name, text: percent(v) };
  });
}

function scoreRows(e: ScoredExperiment, all: ExperimentResult[]) {
  return (Object.keys(SCORE_NAMES) as (keyof Scores)[]).map((k) => ({
    name: SCORE_NAMES[k],
    formula: e.scores[k].formula,
    valueText: scoreText(e.scores[k].value),
    bandClass: bandClass(e.scores[k].band),
    bandWord: BAND_WORDS[e.scores[k].band],
    inputRows: inputRows(k, e, all),
  }));
}

function attackView(a: AttackResult) {
  return {
    ...a,
    measures: FAMILY_MEASURES[a.family] ?? '',
    needs: a.requiredObservations.join(', '),
    metricRows: Object.entries(a.metrics).map(([key, m]) => ({
      label: metricLabel(key),
      text: formatMetric(key, m.value),
      interval: m.low !== undefined && m.high !== undefined ? `[${formatMetric(key, m.low)}, ${formatMetric(key, m.high)}]` : '',
      note: m.note ?? '',
    })),
    sliceRows: a.slices.map((s) => ({ ...s, aucText: s.auc.toFixed(3), advantageText: percent(s.advantage) })),
    vulnerableRows: a.vulnerable.map((v) => ({ ...v, memberText: v.member ? 'yes' : 'no', scoreText: num(v.score) })),
  };
}

/** The DP guarantee as a definition list, and each audit's verdict on it. */
function privacyView(e: ExperimentResult) {
  const p = e.privacy;
  if (!p) return undefined;
  const user = p.mechanism === 'dp-fedavg';
  const rows = [
    { name: 'mechanism', text: user ? `DP-FedAvg, ${p.mode ?? 'central'}: protects each client's whole data` : 'DP-SGD: protects each training record' },
    { name: 'epsilon', text: num(p.epsilon) },
    { name: 'delta', text: String(p.delta) },
    { name: 'accountant', text: `${p.accountant}: ${p.method}` },
    { name: 'noise multiplier (sigma)', text: num(p.noiseMultiplier) },
    { name: user ? "clipping norm of a client's update (S)" : 'clipping norm (C)', text: num(p.clip) },
    { name: user ? 'client sampling rate (q)' : 'sample rate (q)', text: num(p.sampleRate) },
    { name: user ? 'rounds' : 'steps', text: num(p.steps) },
    { name: 'noise source', text: p.noise === 'secure' ? 'operating system CSPRNG' : "the suite seed's CSPRNG stream (reproducible; use noise: secure in deployment)" },
    ...(p.clippedFraction !== undefined ? [{ name: 'gradients clipped', text: percent(p.clippedFraction) }] : []),
    ...Object.entries(p.assumptions).map(([name, text]) => ({ name, text })),
  ];
  const audits = e.attacks
    .filter((a) => a.family === 'audit')
    .map((a) => ({ title: a.title, finding: a.finding, refuted: a.metrics.exceedsClaim?.value === 1 }));
  return { rows, warnings: p.warnings, audits };
}

const bytes = (b: number): string => (b >= 1e6 ? `${num(b / 1e6)} MB` : b >= 1e3 ? `${num(b / 1e3)} kB` : `${num(b)} B`);

/** A federated target's protocol, its per-round accuracy, and its traffic, measured and projected. */
function federatedView(e: ExperimentResult) {
  const f = e.federated;
  if (!f) return undefined;
  const c = f.costs;
  return {
    rows: [
      { name: 'algorithm', text: `${f.algorithm}, ${f.clients} clients, ${f.rounds} rounds` },
      { name: 'aggregator', text: f.aggregator },
      { name: 'secure aggregation', text: f.secureAggregation ? 'yes: the server sees only the sum of each round' : "no: the server sees every client's update" },
      { name: 'transport', text: f.transport === 'network' ? 'client processes on loopback TCP (measured)' : 'in process (bytes counted exactly)' },
      { name: 'clients per round', text: `${num(f.participation.meanSampled)} sampled, ${num(f.participation.meanDropped)} dropped, ${num(f.participation.meanIncluded)} in the aggregate (means)` },
      { name: 'traffic per client per round', text: `${bytes(c.upBytesPerClient)} up, ${bytes(c.downBytesPerClient)} down; ${num(c.messagesPerRound)} messages a round` },
      { name: 'time per round', text: `${seconds(c.measuredMsPerRound / 1000)} measured; ${seconds(c.projectedMsPerRound / 1000)} projected on ${c.profile}` },
    ],
    curveSvg: f.curve.length > 1 ? lineSvg(f.curve.map((p) => p.accuracy), 'round') : '',
  };
}

/**
 * Sweeps over epsilon (experiments of one suite entry, some trained with DP): accuracy and
 * leakage against the privacy budget, the privacy-utility curve of the DP literature.
 */
function epsilonSweeps(experiments: ExperimentResult[]) {
  const families = new Map<string, ExperimentResult[]>();
  for (const e of experiments) families.set(familyName(e), [...(families.get(familyName(e)) ?? []), e]);
  return [...families.entries()]
    .filter(([, es]) => es.length > 1 && es.some((e) => e.privacy))
    .map(([name, es]) => {
      const eps = (e: ExperimentResult) => e.privacy?.epsilon ?? Infinity;
      const leakage = es.flatMap((e) => {
        const t = privacyTerms(e).find((x) => x.metric === TPR_AT_01);
        return t ? [{ epsilon: eps(e), value: t.value }] : [];
      });
      return {
        name,
        utilitySvg: epsilonCurveSvg(`${name}: accuracy against epsilon`, [
          { label: 'test accuracy', points: es.map((e) => ({ epsilon: eps(e), value: e.utility.testAccuracy })) },
          { label: 'train accuracy', points: es.map((e) => ({ epsilon: eps(e), value: e.utility.trainAccuracy })) },
        ]),
        leakageSvg: leakage.length ? epsilonCurveSvg(`${name}: leakage against epsilon`, [{ label: 'TPR at 0.1% FPR (worst attack)', points: leakage }], true) : '',
      };
    });
}

function experimentView(e: ScoredExperiment, i: number, all: ExperimentResult[]) {
  const withRoc = e.attacks.filter((a) => a.roc?.length);
  return {
    ...e,
    dp: privacyView(e),
    fl: federatedView(e),
    anchor: `experiment-${i + 1}`,
    number: i + 1,
    variantText: variantText(e.variant),
    gauges: gauges(e.scores, 72),
    findings: [privacyFinding(e), utilityFinding(e, all), costFinding(e)],
    scoreRows: scoreRows(e, all),
    datasetOptions: optionRows(e.configuration.dataset),
    modelOptions: optionRows(e.configuration.model),
    trainingOptions: optionRows(e.configuration.training),
    splitRows: optionRows(e.configuration.split),
    defensesText: e.configuration.defenses.length ? e.configuration.defenses.join(', ') : 'none',
    gap: e.utility.trainAccuracy - e.utility.testAccuracy,
    rocSvg: withRoc.length ? rocSvg(withRoc.map((a) => ({ label: a.title, points: a.roc ?? [] })), rocFloor(e)) : '',
    lossSvg: e.utility.lossCurve.length ? lineSvg(e.utility.lossCurve, 'epoch') : '',
    attacks: e.attacks.map(attackView),
  };
}

/** The scatter of every experiment an attack measured, and the table that reads it out. */
function frontierView(experiments: ScoredExperiment[]) {
  const points = experiments.flatMap((e, i) => {
    const leak = privacyTerms(e).find((t) => t.metric === TPR_AT_01);
    if (!leak) return [];
    const { testAccuracy } = e.utility;
    const group = JSON.stringify(e.configuration.dataset);
    return [{ number: i + 1, name: e.name, anchor: `experiment-${i + 1}`, leakage: leak.value, testAccuracy, trainingSeconds: e.costs.trainingSeconds, group }];
  });
  if (!points.length) return { svg: '', rows: [], missing: experiments.length };
  const optimal = paretoOptimal(points);
  return {
    svg: frontierSvg(points),
    rows: points.map((p, k) => ({ ...p, optimal: optimal[k] })),
    missing: experiments.length - points.length,
  };
}

function gateRows(outcomes: GateOutcome[]) {
  return failuresFirst(outcomes).map((o) => ({
    ...o,
    status: gateStatus(o),
    statusClass: gateStatus(o).toLowerCase(),
    foundText: foundText(o),
    expectedText: expectedText(o),
  }));
}

/** The Methods section's score table: each score's raw quantity and control points. */
function methodRows() {
  const pts = (good: string, median: string) => ({ good, median });
  return [
    ...PRIVACY_SIGNALS.map((s) => ({
      score: 'Privacy',
      quantity: `${s.label} of the attack that leaks most (${s.metric})`,
      ...(s.metric === 'epsilonLowerBound' ? pts(num(s.good), num(s.median)) : pts(percent(s.good), percent(s.median))),
    })),
    { score: 'Utility', quantity: 'relative loss of test accuracy: 1 − accuracy / baseline accuracy', ...pts(percent(UTILITY_POINTS.good), percent(UTILITY_POINTS.median)) },
    {
      score: 'Cost',
      quantity: 'extra training time: seconds / baseline seconds − 1',
      ...pts(`${num(COST_POINTS.good)} (${num(COST_POINTS.good + 1)}× the time)`, `${num(COST_POINTS.median)} (${num(COST_POINTS.median + 1)}× the time)`),
    },
  ];
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
    date: (iso: string) => formatDate(iso),
  });
  const src = readFileSync(join(PACKAGE_ROOT, 'reports/templates/report.hbs'), 'utf8');
  template = hb.compile(src, { strict: true });
  return template;
}

/** The self-contained HTML report: no script runs, no request leaves the file. */
export function renderHtml(results: Results): string {
  const experiments = scoredExperiments(results);
  const gates = results.gates;
  return compiled()({
    ...results,
    verdict: verdict(results),
    redacted: results.redacted === true,
    durationSeconds: (Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 1000,
    // Experiments' own seeds, shown only when they are not all the run's seed.
    seeds: experiments.every((e) => e.seed === results.seed) ? '' : [...new Set(experiments.map((e) => e.seed))].join(', '),
    experiments: experiments.map((e, i) => experimentView(e, i, experiments)),
    frontier: frontierView(experiments),
    sweeps: epsilonSweeps(experiments),
    gateTable: gates ? { rows: gateRows(gates), counts: gateCounts(gates), any: gates.length > 0 } : undefined,
    logNormal: LOG_NORMAL_DEFINITION,
    methodRows: methodRows(),
    json: embedJson(results),
  });
}
