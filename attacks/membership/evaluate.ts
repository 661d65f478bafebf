import { advantage, auc, downsampleRoc, resolvesFpr, roc, tprAtFpr } from '../../core/metrics.js';
import type { Metric } from '../../core/results.js';

/** The low false-positive rates the field reports (Carlini et al. 2022). */
export const REPORTED_FPRS = [1e-3, 1e-2] as const;

/** 'tprAt1e-3' for 0.001: the key results.json, reports and gates use. */
export const metricKey = (fpr: number) => `tprAt${fpr.toExponential().replace('+', '')}`;

function pct(v: number, digits = 1): string {
  return `${(100 * v).toFixed(digits)}%`;
}

/** Metrics, a thinned ROC and a plain-language finding for one attack's membership scores. */
export function evaluateMembership(scores: ArrayLike<number>, isMember: ArrayLike<boolean>) {
  const r = roc(scores, isMember);
  const metrics: Record<string, Metric> = {
    auc: { value: auc(r) },
    advantage: { value: advantage(r), note: 'max over thresholds of TPR - FPR' },
    balancedAccuracy: { value: (1 + advantage(r)) / 2, note: 'at the best threshold' },
  };
  for (const fpr of REPORTED_FPRS) {
    metrics[metricKey(fpr)] = {
      value: tprAtFpr(r, fpr),
      ...(resolvesFpr(r, fpr)
        ? {}
        : { note: `resolution-limited: ${r.negatives} non-members cannot resolve FPR ${fpr}` }),
    };
  }
  const low = metrics[metricKey(1e-3)];
  const finding =
    `An attacker identifies ${pct(low.value)} of training members at 0.1% false positives ` +
    `(${pct(metrics[metricKey(1e-2)].value)} at 1%); AUC ${metrics.auc.value.toFixed(3)}, where 0.5 is guessing.` +
    (low.note ? ` Too few non-members to resolve 0.1% FPR exactly.` : '');
  return {
    metrics,
    roc: downsampleRoc(r.points).map((p) => ({ fpr: p.fpr, tpr: p.tpr })),
    members: r.positives,
    nonMembers: r.negatives,
    finding,
  };
}
