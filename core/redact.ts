import type { Results } from './results.js';

/**
 * Results without any record-level value, for reports that leave the audit team: the
 * most-flagged records (dataset row ids and labels, whether each trained the model) are dropped
 * and `redacted` is set, so the report can say why they are missing. Aggregates (rates, slices
 * by class, ROC curves) stay. A new record-level field in results.json (reconstructed images,
 * per-record scores) must be cleared here too.
 */
export function redact(results: Results): Results {
  return {
    ...results,
    redacted: true,
    experiments: results.experiments.map((e) => ({
      ...e,
      attacks: e.attacks.map((a) => ({ ...a, vulnerable: [] })),
    })),
  };
}
