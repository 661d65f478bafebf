import { InputError } from '../../../core/errors.js';
import { checkComposition, checkDelta } from '../validate.js';
import { accountants } from './index.js';
import { ANALYSIS_ASSUMPTIONS, type AccountantDefinition, type Composition, type EpsilonReport } from './types.js';

/** An accountant's id in the registry, or its definition. */
export type AccountantRef = string | AccountantDefinition;

/** The accountant's options checked and filled with defaults; a bad option is an InputError. */
function resolve(ref: AccountantRef, options: unknown): { definition: AccountantDefinition; parsed: Record<string, unknown> } {
  const definition = typeof ref === 'string' ? accountants.get(ref, 'accountant') : ref;
  const result = definition.options.safeParse(options ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`${definition.id} accountant: ${issue.message}`, { field: ['options', ...issue.path].join('.') });
  }
  return { definition, parsed: result.data };
}

/**
 * Tracks the privacy spent by a run, step by step, like Opacus's `IAccountant`: the history
 * keeps (noise multiplier, sample rate, steps), merging consecutive steps that share both.
 */
export class PrivacyAccountant {
  private readonly definition: AccountantDefinition;
  private readonly options: Record<string, unknown>;
  private readonly compositions: Composition[] = [];

  constructor(accountant: AccountantRef = 'rdp', options?: unknown) {
    const { definition, parsed } = resolve(accountant, options);
    this.definition = definition;
    this.options = parsed;
  }

  /** Records `steps` steps (default 1) at this noise multiplier and sample rate. */
  step({ noiseMultiplier, sampleRate, steps = 1 }: { noiseMultiplier: number; sampleRate: number; steps?: number }): this {
    checkComposition({ noiseMultiplier, sampleRate, steps });
    const last = this.compositions[this.compositions.length - 1];
    if (last && last.noiseMultiplier === noiseMultiplier && last.sampleRate === sampleRate) last.steps += steps;
    else this.compositions.push({ noiseMultiplier, sampleRate, steps });
    return this;
  }

  get history(): readonly Readonly<Composition>[] {
    return this.compositions.map((c) => ({ ...c }));
  }

  /** The epsilon spent so far at this delta; 0 before the first step. */
  epsilon(delta: number): EpsilonReport {
    checkDelta(delta);
    if (this.compositions.length === 0) {
      const { id, method } = this.definition;
      return { accountant: id, epsilon: 0, delta, method, assumptions: ANALYSIS_ASSUMPTIONS, warnings: ['no steps recorded: nothing was released'] };
    }
    return this.definition.epsilon(this.compositions, delta, this.options);
  }
}

export interface EpsilonQuery extends Composition {
  delta: number;
  accountant?: AccountantRef;
  /** The accountant's own options (e.g. `{ orders }` for rdp, `{ epsError }` for prv). */
  options?: unknown;
}

/** The epsilon of `steps` identical steps, in one call. */
export function epsilon({ sampleRate, noiseMultiplier, steps, delta, accountant = 'rdp', options }: EpsilonQuery): EpsilonReport {
  return new PrivacyAccountant(accountant, options).step({ noiseMultiplier, sampleRate, steps }).epsilon(delta);
}
