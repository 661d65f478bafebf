import { z } from 'zod';
import { epsilonLowerBoundFromThresholds } from '../../core/empirical-epsilon.js';
import { countsAt, roc } from '../../core/metrics.js';
import { InputError } from '../../core/errors.js';
import { softmaxRows } from '../../targets/training/evaluate.js';
import { logitScaledConfidence } from '../membership/signals.js';
import type { AuditAttackDefinition } from '../types.js';
import { randomLabelCanaries } from './canaries.js';
import { auditOutcome } from './outcome.js';

const DEFAULT_DELTA = 1e-5;

const options = z
  .object({
    /**
     * Training runs; the canary is inserted in exactly half of them, chosen at random. Below
     * about 20, even perfect separation proves nothing at 95% after the Bonferroni correction.
     */
    runs: z.number().int().min(2).default(32),
    /** Copies of the canary inserted in an IN run; the bound is divided by this (group privacy). */
    copies: z.number().int().min(1).default(1),
    /** The bound holds with confidence 1 - p. */
    p: z.number().gt(0).lt(1).default(0.05),
  })
  .strict();

/**
 * The multi-run audit (Jagielski et al. 2020; Nasr et al. 2021): the pipeline trains many
 * times, half of them with a random-label canary inserted; the canary's confidence in each
 * trained model is the test statistic, and Clopper-Pearson bounds on its false positive and
 * false negative rates, Bonferroni-corrected over every threshold, bound epsilon from below.
 * Each run costs a full training, so the bound is weak unless runs are many.
 */
export const multiRun: AuditAttackDefinition<typeof options> = {
  id: 'multi-run',
  title: 'Multi-run DP audit (Jagielski et al. 2020)',
  description: 'Trains many times with and without a canary and lower-bounds epsilon from how well it tells the runs apart.',
  family: 'audit',
  threatModel: "The auditor runs the training pipeline many times, inserting a canary in half the runs, and queries each trained model's output probabilities on it.",
  requiredObservations: ['model'],
  options,
  references(o, facts) {
    if (o.runs % 2 !== 0) throw new InputError(`multi-run needs an even number of runs (half with the canary), got ${o.runs}`, { field: 'runs' });
    const rng = facts.rng.fork('audit/multi-run');
    const relabel = randomLabelCanaries('multi-run', 1, facts, rng);
    const withCanary = new Set(rng.permutation(o.runs).slice(0, o.runs / 2));
    const subsets = Array.from({ length: o.runs }, (_, k) => (withCanary.has(k) ? new Int32Array(o.copies).fill(relabel.indices[0]) : new Int32Array(0)));
    return { pool: 'population', subsets, withTrainingSet: true, relabel };
  },
  async audit({ references, claim }, o) {
    const { indices, labels } = references.request.relabel!;
    const c = references.numClasses;
    const row = indices[0];
    const runs = references.population.map((logits, k) => {
      const proba = softmaxRows(logits.subarray(row * c, row * c + c), c);
      return { inside: references.request.subsets[k].length > 0, score: logitScaledConfidence(proba, [labels[0]], c)[0] };
    });
    const delta = claim?.delta ?? DEFAULT_DELTA;
    // Every threshold between the runs' scores (the ROC's points past its empty first one).
    const r = roc(runs.map((x) => x.score), runs.map((x) => x.inside));
    const thresholds = r.points.slice(1).map((p) => countsAt(r, p));
    const bound = epsilonLowerBoundFromThresholds({ thresholds, delta, alpha: o.p, copies: o.copies }).epsilon;
    return auditOutcome(bound, claim, delta, o.p, {
      metrics: { runs: { value: o.runs }, copies: { value: o.copies } },
      members: o.runs / 2,
      nonMembers: o.runs / 2,
      detail: `${o.runs} training runs, the canary in half${o.copies > 1 ? `, ${o.copies} copies each (bound divided by ${o.copies})` : ''}`,
    });
  },
};
