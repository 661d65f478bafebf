import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { epsilon } from './accountants/accountant.js';
import type { EpsilonReport } from './accountants/types.js';
import type { DpSgdMechanism } from './dp-sgd.js';
import { noiseForEpsilon, type NoiseAnswer } from './noise-search.js';
import { deltaWarning } from './validate.js';

/**
 * The fields of an experiment's `dp:` block, before the check that exactly one budget is given.
 * Give a target `epsilon` (the noise multiplier is then searched for, as Opacus's
 * make_private_with_epsilon does) or a `noiseMultiplier` (and the epsilon is computed).
 * `epsilon: .inf` turns DP off, so a sweep can include the non-private baseline.
 */
export const dpBlock = z
  .object({
    epsilon: z.union([z.number().positive(), z.literal(Infinity)]).optional(),
    noiseMultiplier: z.number().positive().optional(),
    /** Per-example L2 clipping norm C. */
    clip: z.number().positive().default(1),
    delta: z.number().gt(0).lt(1).default(1e-5),
    accountant: z.enum(['rdp', 'prv']).default('prv'),
    /**
     * `seeded` draws the noise from the suite seed's CSPRNG stream, so runs reproduce and cache;
     * `secure` from the operating system. A deployment needs `secure`: noise anyone can
     * regenerate from a published seed protects nothing.
     */
    noise: z.enum(['seeded', 'secure']).default('seeded'),
  })
  .strict();

type Budget = Pick<z.infer<typeof dpBlock>, 'epsilon' | 'noiseMultiplier' | 'delta' | 'accountant'>;

/** The refinement every `dp:` block carries: exactly one of a target epsilon and a noise multiplier. */
export const oneBudget = [
  (c: Budget) => (c.epsilon === undefined) !== (c.noiseMultiplier === undefined),
  { message: 'give exactly one of epsilon (a target; the noise is searched for) or noiseMultiplier' },
] as const;

/** DP-SGD's `dp:` block. */
export const dpConfigSchema = dpBlock.refine(...oneBudget);

export type DpConfig = z.infer<typeof dpConfigSchema>;

/** What DP-SGD will do and what it guarantees, as results.json records it. */
export interface DpResolution {
  mechanism: DpSgdMechanism;
  report: EpsilonReport;
  config: DpConfig;
}

/**
 * Turns a `dp:` block and the training recipe into DP-SGD's mechanism and its guarantee:
 * q = batch size / training records (Poisson sampling with that expected batch), T = epochs / q
 * steps. Undefined when DP is off (`epsilon: .inf`). Every impossible setting is an InputError
 * naming its field; a delta that protects nobody adds a warning to the report.
 */
export function resolveDpSgd(config: DpConfig, training: { batchSize: number; epochs: number; records: number }): DpResolution | undefined {
  if (config.epsilon === Infinity) return undefined;
  const sampleRate = training.batchSize / training.records;
  if (sampleRate > 1) {
    throw new InputError(
      `the sample rate q = batchSize / training records = ${training.batchSize} / ${training.records} is above 1; ` +
        `lower training.batchSize to at most ${training.records}`,
      { field: 'training.batchSize' },
    );
  }
  const steps = Math.max(1, Math.round(training.epochs / sampleRate));
  const { noiseMultiplier, report } = budgetGuarantee(config, { sampleRate, steps });
  return { mechanism: { noiseMultiplier, clip: config.clip, sampleRate, steps }, report: withDeltaWarning(report, config.delta, training.records), config };
}

/**
 * A budget over `steps` identical steps at sample rate q: the epsilon of the given noise
 * multiplier, or the smallest noise multiplier that meets the target epsilon. An accountant's
 * refusal becomes an InputError under `dp.`, at the field the suite writes.
 */
export function budgetGuarantee(config: Budget, composition: { sampleRate: number; steps: number }): NoiseAnswer {
  const base = { ...composition, delta: config.delta, accountant: config.accountant };
  try {
    if (config.noiseMultiplier !== undefined) return { noiseMultiplier: config.noiseMultiplier, report: epsilon({ ...base, noiseMultiplier: config.noiseMultiplier }) };
    return noiseForEpsilon({ ...base, targetEpsilon: config.epsilon! });
  } catch (err) {
    if (err instanceof InputError) {
      const field = err.location.field === undefined || err.location.field === 'targetEpsilon' ? 'epsilon' : err.location.field;
      throw new InputError(err.message, { field: `dp.${field}` });
    }
    throw err;
  }
}

/** The report with deltaWarning's warning for a population of `size`, if delta protects nobody there. */
export function withDeltaWarning(report: EpsilonReport, delta: number, size: number): EpsilonReport {
  const warning = deltaWarning(delta, size);
  return warning ? { ...report, warnings: [...report.warnings, warning] } : report;
}
