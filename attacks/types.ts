import type { z } from 'zod';
import type { ObservationId, PredictionApi, Records } from '../core/observations.js';
import type { Configurable } from '../core/registry.js';
import type { Rng } from '../core/rng.js';

/**
 * Reference (shadow) models an attack asks for. The attacker knows the training recipe, so
 * each model is trained like the target, on `subsets[k]`: indices into one of the attacker's
 * own record sets. `candidates` is the online setting of Carlini et al. 2022 (the records in
 * question may be in a reference model's training set); `population` is the offline one.
 */
export interface ReferenceRequest {
  pool: 'candidates' | 'population';
  /** Indices may repeat: a record given k times trains k times (an auditor's canary copies). */
  subsets: Int32Array[];
  /**
   * Each model trains on the target's own training set plus its subset: an auditor who runs
   * the training pipeline with canaries inserted, rather than an attacker's reference model.
   */
  withTrainingSet?: boolean;
  /** New labels for pool records, applied wherever they are trained on (canaries made memorable). */
  relabel?: { indices: Int32Array; labels: Int32Array };
}

/** What the trained reference models answer: their logits on every candidate and population record. */
export interface ReferenceOutputs {
  request: ReferenceRequest;
  numClasses: number;
  /** Per model, row-major [candidates.n x numClasses]. */
  candidates: Float32Array[];
  /** Per model, row-major [population.n x numClasses]. */
  population: Float32Array[];
}

/** What an attack may know when it plans its reference models, before anything trains. */
export interface PlanFacts {
  candidates: number;
  population: number;
  /** Records in the target's training set: part of the recipe the attacker knows. */
  trainingSize: number;
  numClasses: number;
  /** The experiment's stream for reference sets, the same for every attack, so attacks share models. */
  rng: Rng;
}

/** What a membership attacker holds: the target's endpoint, records to judge, its own data. */
export interface MembershipContext {
  target: PredictionApi;
  /** Records whose membership is in question; the attacker never sees which are members. */
  candidates: Records;
  /** The attacker's own records from the same distribution, known non-members of the target. */
  population: Records;
  rng: Rng;
  /** Outputs of the reference models planned by `references`, when the attack has any. */
  references?: ReferenceOutputs;
}

export interface MembershipScores {
  /** One score per candidate, higher meaning "more likely a member". */
  scores: Float64Array;
  /**
   * The same score on the attacker's population (known non-members), when the attack can
   * compute it: the harness sets thresholds there, as a real attacker must.
   */
  populationScores?: Float64Array;
  /** Facts the report should state (reference count, variance mode, calibration). */
  notes?: string[];
}

/**
 * A membership inference attack: a score per candidate. The harness turns scores into
 * metrics, so every attack is measured alike (ROC, TPR at low FPR, intervals).
 */
export interface MembershipAttackDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  family: 'membership';
  /** The attacker's knowledge and access, in one sentence for the report. */
  threatModel: string;
  requiredObservations: ObservationId[];
  /** `probabilities` attacks cannot run against a label-only API; `labels` attacks run on both. */
  requiredOutput: PredictionApi['output'];
  /**
   * The reference models the attack needs, decided up front so the runner can train them in
   * parallel, cache them and shard them. Throws an InputError when the data cannot support them.
   */
  references?(options: z.infer<O>, facts: PlanFacts): ReferenceRequest;
  score(ctx: MembershipContext, options: z.infer<O>): Promise<MembershipScores>;
}

/** The guarantee an audit checks: the accountant's epsilon at its delta. */
export interface PrivacyClaim {
  epsilon: number;
  delta: number;
}

/** What an auditor holds: its training runs with canaries, and the claim to test. */
export interface AuditContext {
  candidates: Records;
  population: Records;
  references: ReferenceOutputs;
  /** Absent when the configuration claims no differential privacy. */
  claim?: PrivacyClaim;
  rng: Rng;
}

export interface AuditOutcome {
  /** Named numbers for results.json and gates (epsilonLowerBound, claimedEpsilon, ...). */
  metrics: Record<string, { value: number; note?: string }>;
  /** Canaries trained on and left out. */
  members: number;
  nonMembers: number;
  finding: string;
  notes: string[];
}

/**
 * A privacy audit (Jagielski et al. 2020; Steinke et al. 2023): it controls training runs,
 * inserts canaries, and turns how well it tells included canaries from excluded ones into an
 * epsilon lower bound. A bound above the claimed epsilon means the DP implementation leaks more
 * than it says.
 */
export interface AuditAttackDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  family: 'audit';
  threatModel: string;
  requiredObservations: ObservationId[];
  references(options: z.infer<O>, facts: PlanFacts): ReferenceRequest;
  audit(ctx: AuditContext, options: z.infer<O>): Promise<AuditOutcome>;
}

export type AttackDefinition = MembershipAttackDefinition | AuditAttackDefinition;
