import { z } from 'zod';
import { oneRunEpsilonLowerBound } from '../../core/empirical-epsilon.js';
import { softmaxRows } from '../../targets/training/evaluate.js';
import { logitScaledConfidence } from '../membership/signals.js';
import type { AuditAttackDefinition } from '../types.js';
import { randomLabelCanaries } from './canaries.js';
import { auditOutcome } from './outcome.js';

const DEFAULT_DELTA = 1e-5;

const options = z
  .object({
    /** m: canaries, each inserted into the training set with probability 1/2. */
    canaries: z.number().int().min(2).default(1000),
    /** k+: canaries guessed IN (the highest scores); fixed before the run, as the bound requires. */
    guessIn: z.number().int().nonnegative().default(50),
    /** k-: canaries guessed OUT (the lowest scores). */
    guessOut: z.number().int().nonnegative().default(50),
    /** The bound holds with confidence 1 - p. */
    p: z.number().gt(0).lt(1).default(0.05),
  })
  .strict()
  .refine((o) => o.guessIn + o.guessOut >= 1 && o.guessIn + o.guessOut <= o.canaries, {
    message: 'guessIn + guessOut must be between 1 and the number of canaries',
    path: ['guessIn'],
  });

/**
 * Privacy auditing with one training run (Steinke, Nasr, Jagielski 2023): m random-label
 * canaries each join the training set with probability 1/2, all in one run of the pipeline.
 * The auditor scores every canary by the trained model's confidence in its label, guesses IN
 * for the k+ highest and OUT for the k- lowest, and the number of right guesses bounds epsilon
 * from below (Theorem 3.1), at the delta of the claim.
 */
export const oneRun: AuditAttackDefinition<typeof options> = {
  id: 'one-run',
  title: 'One-run DP audit (Steinke et al. 2023)',
  description: 'Inserts random-label canaries into one training run and lower-bounds epsilon from how many it can tell apart.',
  family: 'audit',
  threatModel:
    'The auditor runs the training pipeline once with canaries, each inserted with probability 1/2, and queries the ' +
    "trained model's output probabilities on them.",
  requiredObservations: ['model'],
  options,
  references(o, facts) {
    const rng = facts.rng.fork('audit/one-run');
    const relabel = randomLabelCanaries('one-run', o.canaries, facts, rng);
    const inserted = relabel.indices.filter(() => rng.uniform() < 0.5);
    return { pool: 'population', subsets: [inserted], withTrainingSet: true, relabel };
  },
  async audit({ references, claim }, o) {
    const { indices, labels } = references.request.relabel!;
    const c = references.numClasses;
    const proba = softmaxRows(references.population[0], c);
    const inserted = new Set(references.request.subsets[0]);
    const rows = Array.from(indices, (row, k) => ({ row, label: labels[k] }));
    const phi = logitScaledConfidence(
      Float64Array.from(rows.flatMap(({ row }) => Array.from(proba.subarray(row * c, row * c + c)))),
      rows.map((r) => r.label),
      c,
    );
    const order = rows.map((r, k) => ({ inside: inserted.has(r.row), score: phi[k] })).sort((a, b) => b.score - a.score);
    const correct =
      order.slice(0, o.guessIn).filter((g) => g.inside).length + order.slice(order.length - o.guessOut).filter((g) => !g.inside).length;
    const guesses = o.guessIn + o.guessOut;
    const delta = claim?.delta ?? DEFAULT_DELTA;
    const bound = oneRunEpsilonLowerBound({ m: o.canaries, r: guesses, v: correct, delta, p: o.p });
    return auditOutcome(bound, claim, delta, o.p, {
      metrics: { canaries: { value: o.canaries }, guesses: { value: guesses }, correctGuesses: { value: correct } },
      members: inserted.size,
      nonMembers: o.canaries - inserted.size,
      detail: `${correct} of ${guesses} guesses right on ${o.canaries} canaries (${inserted.size} inserted)`,
    });
  },
};
