import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { epsilon } from './accountants/accountant.js';
import type { EpsilonReport } from './accountants/types.js';
import type { DpSgdMechanism } from './dp-sgd.js';
import { noiseForEpsilon } from './noise-search.js';
import { deltaWarning } from './validate.js';

/**
 * An experiment's `dp:` block. Give a target `epsilon` (the noise multiplier is then searched
 * for, as Opacus's make_private_with_epsilon does) or a `noiseMultiplier` (and the epsilon is
 * computed). `epsilon: .inf` turns DP off, so a sweep can include the non-private baseline.
 */
export const dpConfigSchema = z
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
  .strict()
  .refine((c) => (c.epsilon === undefined) !== (c.noiseMultiplier === undefined), {
    message: 'give exactly one of epsilon (a target; the noise is searched for) or noiseMultiplier',
  });

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
  const base = { sampleRate, steps, delta: config.delta, accountant: config.accountant };
  let noiseMultiplier: number;
  let report: EpsilonReport;
  try {
    if (config.noiseMultiplier !== undefined) {
      noiseMultiplier = config.noiseMultiplier;
      report = epsilon({ ...base, noiseMultiplier });
    } else {
      ({ noiseMultiplier, report } = noiseForEpsilon({ ...base, targetEpsilon: config.epsilon! }));
    }
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message, { field: `dp.${err.location.field ?? 'epsilon'}` });
    throw err;
  }
  const warning = deltaWarning(config.delta, training.records);
  if (warning) report = { ...report, warnings: [...report.warnings, warning] };
  return { mechanism: { noiseMultiplier, clip: config.clip, sampleRate, steps }, report, config };
}
