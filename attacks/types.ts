import type { z } from 'zod';
import type { ObservationId, PredictionApi, Records } from '../core/observations.js';
import type { Configurable } from '../core/registry.js';
import type { Rng } from '../core/rng.js';

/** What a membership attacker holds: the target's endpoint, records to judge, its own data. */
export interface MembershipContext {
  target: PredictionApi;
  /** Records whose membership is in question; the attacker never sees which are members. */
  candidates: Records;
  /** The attacker's own records from the same distribution, known non-members of the target. */
  population: Records;
  rng: Rng;
}

/**
 * A membership inference attack: one score per candidate, higher meaning "more likely a
 * training member". The harness turns scores into metrics, so every attack is measured alike.
 */
export interface MembershipAttackDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  family: 'membership';
  /** The attacker's knowledge and access, in one sentence for the report. */
  threatModel: string;
  requiredObservations: ObservationId[];
  /** `probabilities` attacks cannot run against a label-only API. */
  requiredOutput: PredictionApi['output'];
  score(ctx: MembershipContext, options: z.infer<O>): Promise<Float64Array>;
}

export type AttackDefinition = MembershipAttackDefinition;
