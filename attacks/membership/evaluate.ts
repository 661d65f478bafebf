import { advantage, auc, countsAt, downsampleRoc, pointAtFpr, resolvesFpr, roc, type Roc } from '../../core/metrics.js';
import type { Metric } from '../../core/results.js';
import { clopperPearson, epsilonLowerBoundFromThresholds } from '../../core/empirical-epsilon.js';

/** The low false-positive rates the field reports (Carlini et al. 2022). */
export const REPORTED_FPRS = [1e-4, 1e-3, 1e-2] as const;
/** Population-calibrated thresholds are set for these target false-positive rates. */
export const CALIBRATED_FPRS = [1e-3, 1e-2] as const;
/** The delta at which the empirical epsilon lower bound is stated. */
export const AUDIT_DELTA = 1e-5;
const ALPHA = 0.05;
// FPR levels whose thresholds the epsilon bound tries (Bonferroni-corrected over all of them).
const EPSILON_FPRS = [0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 0.5];
const MIN_SLICE = 5;
const TOP_SLICES = 10;
const TOP_RECORDS = 10;

/** 'tprAt1e-3' for 0.001: the key results.json, reports and gates use. */
export const metricKey = (fpr: number) => `tprAt${fpr.toExponential().replace('+', '')}`;

function pct(v: number, digits = 1): string {
  return `${(100 * v).toFixed(digits)}%`;
}

/** What the harness knows about the candidates, beyond the attack's scores. */
export interface CandidateFacts {
  isMember: ArrayLike<boolean>;
  /** Dataset row of each candidate: the id a reviewer can look up. */
  ids?: ArrayLike<number>;
  /** Class of each candidate, and the class names, for per-class slices. */
  labels?: ArrayLike<number>;
  classNames?: string[];
  /** Whether the target labels each candidate correctly. */
  correct?: ArrayLike<boolean>;
  /** False-positive rates to report beyond REPORTED_FPRS. */
  extraFprs?: number[];
}

function tprMetric(r: Roc, fpr: number): Metric {
  const p = pointAtFpr(r, fpr);
  const [low, high] = clopperPearson(countsAt(r, p).tp, r.positives, ALPHA);
  return {
    value: p.tpr,
    low,
    high,
    ...(fpr === 0 || resolvesFpr(r, fpr) ? {} : { note: `resolution-limited: ${r.negatives} non-members cannot resolve FPR ${fpr}` }),
  };
}

/**
 * The rates a real attacker achieves: it cannot see the target's members, so it sets its
 * threshold where a share `fpr` of its own population records (known non-members) scores
 * higher, and that threshold is applied to the candidates.
 */
function calibrated(scores: ArrayLike<number>, isMember: ArrayLike<boolean>, populationScores: ArrayLike<number>, fpr: number) {
  const sorted = Float64Array.from(populationScores).sort();
  const k = Math.floor(fpr * sorted.length);
  // Flag scores above the (1 - fpr) quantile: at most k population records exceed it.
  const threshold = k === 0 ? sorted[sorted.length - 1] : sorted[sorted.length - k - 1];
  let tp = 0;
  let fp = 0;
  let pos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (isMember[i]) pos++;
    if (scores[i] > threshold) {
      if (isMember[i]) tp++;
      else fp++;
    }
  }
  const neg = scores.length - pos;
  const [tl, th] = clopperPearson(tp, pos, ALPHA);
  const [fl, fh] = clopperPearson(fp, neg, ALPHA);
  return {
    tpr: { value: tp / pos, low: tl, high: th, note: `threshold set on ${sorted.length} population records for FPR ${fpr}` },
    fpr: { value: fp / neg, low: fl, high: fh, note: `target FPR ${fpr}` },
  };
}

interface Slice {
  slice: string;
  members: number;
  nonMembers: number;
  auc: number;
  advantage: number;
}

function slice(name: string, scores: ArrayLike<number>, isMember: ArrayLike<boolean>, keep: (i: number) => boolean): Slice | undefined {
  const s: number[] = [];
  const m: boolean[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (keep(i)) {
      s.push(scores[i]);
      m.push(isMember[i]);
    }
  }
  const members = m.filter(Boolean).length;
  if (members < MIN_SLICE || m.length - members < MIN_SLICE) return undefined;
  const r = roc(s, m);
  return { slice: name, members, nonMembers: m.length - members, auc: auc(r), advantage: advantage(r) };
}

/**
 * Where leakage concentrates (TF Privacy's attack report does the same): correctly vs wrongly
 * classified records, and the classes with the highest AUC (slices with fewer than five members
 * or non-members are left out).
 */
function slices(scores: ArrayLike<number>, f: CandidateFacts): Slice[] {
  const out: Slice[] = [];
  if (f.correct) {
    const correct = f.correct;
    out.push(
      ...[slice('correctly classified', scores, f.isMember, (i) => correct[i]), slice('misclassified', scores, f.isMember, (i) => !correct[i])].filter(
        (s): s is Slice => s !== undefined,
      ),
    );
  }
  if (f.labels) {
    const labels = f.labels;
    const classes = new Set(Array.from(labels));
    const perClass = [...classes]
      .map((k) => slice(`class ${f.classNames?.[k] ?? k}`, scores, f.isMember, (i) => labels[i] === k))
      .filter((s): s is Slice => s !== undefined)
      .sort((a, b) => b.auc - a.auc);
    out.push(...perClass.slice(0, TOP_SLICES));
  }
  return out;
}

/** The records the attack flags first: ids and labels only, never feature values. */
function mostVulnerable(scores: ArrayLike<number>, f: CandidateFacts) {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, TOP_RECORDS).map((i) => ({
    id: f.ids ? f.ids[i] : i,
    ...(f.labels ? { label: f.classNames?.[f.labels[i]] ?? String(f.labels[i]) } : {}),
    member: Boolean(f.isMember[i]),
    score: scores[i],
  }));
}

/**
 * Metrics, a thinned ROC, slices and a plain-language finding for one attack's membership
 * scores. Rates come with 95% Clopper-Pearson intervals.
 */
export function evaluateMembership(scores: ArrayLike<number>, f: CandidateFacts, populationScores?: ArrayLike<number>) {
  const r = roc(scores, f.isMember);
  const adv = advantage(r);
  const metrics: Record<string, Metric> = {
    auc: { value: auc(r) },
    advantage: { value: adv, note: 'max over thresholds of TPR - FPR' },
    balancedAccuracy: { value: (1 + adv) / 2, note: 'at the best threshold' },
    tprAt0: tprMetric(r, 0),
  };
  for (const fpr of new Set([...REPORTED_FPRS, ...(f.extraFprs ?? [])])) metrics[metricKey(fpr)] = tprMetric(r, fpr);
  const thresholds = EPSILON_FPRS.map((fpr) => countsAt(r, pointAtFpr(r, fpr)));
  metrics.epsilonLowerBound = {
    value: epsilonLowerBoundFromThresholds({ thresholds, delta: AUDIT_DELTA, alpha: ALPHA }).epsilon,
    note: `empirical epsilon at delta ${AUDIT_DELTA}, 95% confidence, Clopper-Pearson over ${thresholds.length} thresholds (Bonferroni)`,
  };
  if (populationScores?.length) {
    for (const fpr of CALIBRATED_FPRS) {
      const c = calibrated(scores, f.isMember, populationScores, fpr);
      metrics[`calibratedTprAt${metricKey(fpr).slice(5)}`] = c.tpr;
      metrics[`calibratedFprAt${metricKey(fpr).slice(5)}`] = c.fpr;
    }
  }
  const low = metrics[metricKey(1e-3)];
  const finding =
    `An attacker identifies ${pct(low.value)} of training members at 0.1% false positives ` +
    `(95% CI ${pct(low.low ?? 0)}-${pct(low.high ?? 1)}; ${pct(metrics[metricKey(1e-2)].value)} at 1%); ` +
    `AUC ${metrics.auc.value.toFixed(3)}, where 0.5 is guessing.` +
    (low.note ? ` Too few non-members to resolve 0.1% FPR exactly.` : '');
  return {
    metrics,
    roc: downsampleRoc(r.points).map((p) => ({ fpr: p.fpr, tpr: p.tpr })),
    members: r.positives,
    nonMembers: r.negatives,
    finding,
    slices: slices(scores, f),
    vulnerable: mostVulnerable(scores, f),
  };
}
