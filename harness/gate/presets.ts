import type { AssertionsConfig } from './assertions.js';

/**
 * Built-in assertion sets, plain objects in the assertions-file format (lhci's presets work the
 * same way): `"extends": "ppml:recommended"` starts from one, and the file's own entries override
 * it key by key, so `"membership.*.auc": "off"` silences one and `["error"]` hardens one.
 * A preset entry whose metric no experiment has is skipped, so one preset fits every suite.
 */
export const PRESETS: Record<string, AssertionsConfig> = {
  /**
   * Leakage an auditor would flag. Membership inference is judged at low false-positive rates
   * (Carlini et al. 2022, "Membership Inference Attacks From First Principles"): an attacker
   * confident about even 1% of members at 0.1% FPR is a real leak, whatever the AUC says.
   * The AUC warning catches attacks that are weak everywhere but better than guessing.
   */
  'ppml:recommended': {
    assertions: {
      'membership.*.tprAt1e-3': ['error', { max: 0.01 }],
      'membership.*.tprAt1e-2': ['warn', { max: 0.05 }],
      'membership.*.auc': ['warn', { max: 0.6 }],
    },
  },
  /**
   * Against a baseline results.json: the low-FPR TPRs may not grow by more than run-to-run
   * noise, and test accuracy may not silently drop. Deltas compare seed-matched means.
   */
  'ppml:no-regression': {
    assertions: {
      'membership.*.tprAt1e-3': ['error', { maxIncrease: 0.005 }],
      'membership.*.tprAt1e-2': ['error', { maxIncrease: 0.01 }],
      'membership.*.auc': ['warn', { maxIncrease: 0.01 }],
      'utility.testAccuracy': ['warn', { maxDecrease: 0.02 }],
    },
  },
};
