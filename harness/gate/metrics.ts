import type { ExperimentResult, Results } from '../../core/results.js';

/**
 * The flat metric namespace gates read: `section.name` ids such as `utility.testAccuracy`,
 * `costs.trainingSeconds`, `scores.privacy`, `membership.loss-threshold.tprAt1e-3`.
 * Gates never look into results.json themselves, so a new number in the results becomes
 * gateable by adding its section here, and nothing else changes.
 *
 * Each section maps an experiment to its numbers; non-numbers (curves, notes) are skipped.
 * Adding a section is one line, e.g. once results.json carries them:
 *   poisoning: (e) => ({ asr: e.poisoning?.asr }),              // poisoning.asr
 */
const SECTIONS: Record<string, (e: ExperimentResult) => Record<string, unknown>> = {
  utility: (e) => e.utility,
  costs: (e) => e.costs,
  // 0-100; a score that is n/a (value null) is no metric of that experiment.
  scores: (e) => ({ privacy: e.scores?.privacy.value, utility: e.scores?.utility.value, cost: e.scores?.cost.value }),
  // The claimed guarantee: dp.epsilon, dp.delta, dp.noiseMultiplier, ...
  dp: (e) => e.privacy ?? {},
};

/**
 * Attack metrics are keyed `<family>.<attack id>.<metric key>`, so every attack family gets its
 * namespace for free: `membership.lira.auc` today, `poisoning.backdoor.asr` when poisoning lands.
 */
function attackMetrics(e: ExperimentResult): [string, number][] {
  return e.attacks.flatMap((a) => Object.entries(a.metrics).map(([k, m]): [string, number] => [`${a.family}.${a.id}.${k}`, m.value]));
}

/** Every number of one experiment under its canonical metric id. */
export function experimentMetrics(e: ExperimentResult): Record<string, number> {
  const entries: [string, unknown][] = [
    ...Object.entries(SECTIONS).flatMap(([section, pick]) =>
      Object.entries(pick(e)).map(([k, v]): [string, unknown] => [`${section}.${k}`, v]),
    ),
    ...attackMetrics(e),
  ];
  const out: Record<string, number> = {};
  for (const [id, v] of entries) if (typeof v === 'number' && !Number.isNaN(v)) out[canonicalMetricId(id)] = v;
  return out;
}

/** The metric ids any experiment of `results` has, sorted: what "unknown metric" errors offer. */
export function knownMetricIds(results: Pick<Results, 'experiments'>): string[] {
  return [...new Set(results.experiments.flatMap((e) => Object.keys(experimentMetrics(e))))].sort();
}

// Names the architecture notes and users write for the ids above.
const NAMESPACE_ALIASES: Record<string, string> = { mia: 'membership' };
const ID_ALIASES: Record<string, string> = { 'utility.accuracy': 'utility.testAccuracy' };

// A decimal or exponent number inside a key (`0.001`, `1e-3`, `1E-03`, `2.5e-3`); plain integers
// (`lira8`) are names, not rates, and stay as written. The look-behind keeps `x.5` a name.
const NUMBER = /(?<![\d.])(?:\d+(?:\.\d+)?[eE][-+]?\d+|\d+\.\d+)(?!\d)/g;

/**
 * One spelling per metric: numbers in a key take the form the attacks write (`tprAt1e-3`, see
 * `metricKey` in attacks/membership/evaluate.ts), so `tprAt0.001` and `tprAt1E-03` name the
 * same metric, and aliases (`mia.*`, `utility.accuracy`) resolve. `*` wildcards pass through.
 */
export function canonicalMetricId(id: string): string {
  const numeric = id.replace(NUMBER, (n) => Number(n).toExponential().replace('+', ''));
  const [head, ...rest] = numeric.split('.');
  const named = [NAMESPACE_ALIASES[head] ?? head, ...rest].join('.');
  return ID_ALIASES[named] ?? named;
}
