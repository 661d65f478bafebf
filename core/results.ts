import { z } from 'zod';

/**
 * The results.json contract. Reports render from it alone and gates read it, so it carries
 * everything: what ran, where, with which seeds, and every number. Bump SCHEMA_VERSION on any
 * incompatible change; readers refuse other versions.
 */
export const SCHEMA_VERSION = 2;

export const rocPointSchema = z.object({ fpr: z.number(), tpr: z.number() });

/** A rate with its 95% Clopper-Pearson interval and whether the sample can resolve it. */
export const metricSchema = z.object({
  value: z.number(),
  low: z.number().optional(),
  high: z.number().optional(),
  note: z.string().optional(),
});

export const attackResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  family: z.string(),
  threatModel: z.string(),
  requiredObservations: z.array(z.string()),
  metrics: z.record(z.string(), metricSchema),
  roc: z.array(rocPointSchema).optional(),
  members: z.number().int(),
  nonMembers: z.number().int(),
  finding: z.string(),
  /** Facts about how the attack ran (reference models, calibration). */
  notes: z.array(z.string()).default([]),
  /** Leakage per subgroup of candidates: classes, correctly vs wrongly classified. */
  slices: z
    .array(z.object({ slice: z.string(), members: z.number().int(), nonMembers: z.number().int(), auc: z.number(), advantage: z.number() }))
    .default([]),
  /** The records flagged first: dataset row ids and labels, never feature values. */
  vulnerable: z
    .array(z.object({ id: z.number().int(), label: z.string().optional(), member: z.boolean(), score: z.number() }))
    .default([]),
  /** Wall time of the attack, reference-model training included. */
  seconds: z.number(),
});

export const environmentSchema = z.object({
  node: z.string(),
  platform: z.string(),
  cpu: z.string(),
  cores: z.number().int(),
  memoryGiB: z.number(),
  backend: z.string(),
});

export const experimentResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The matrix values that made this experiment, e.g. {"training.weightDecay": 0.01}. */
  variant: z.record(z.string(), z.unknown()),
  configuration: z.object({
    dataset: z.record(z.string(), z.unknown()),
    model: z.record(z.string(), z.unknown()),
    training: z.record(z.string(), z.unknown()),
    split: z.record(z.string(), z.number()),
    /** What the deployed model returns to a query. */
    api: z.enum(['probabilities', 'labels']),
    defenses: z.array(z.string()),
  }),
  threatModel: z.object({
    summary: z.string(),
    observations: z.array(z.string()),
  }),
  data: z.object({
    dataset: z.string(),
    records: z.number().int(),
    features: z.number().int(),
    classes: z.number().int(),
  }),
  model: z.object({ description: z.string(), parameters: z.number().int() }),
  utility: z.object({
    trainAccuracy: z.number(),
    testAccuracy: z.number(),
    trainLoss: z.number(),
    testLoss: z.number(),
    /** Training loss per epoch, for the report's curve. */
    lossCurve: z.array(z.number()),
  }),
  attacks: z.array(attackResultSchema),
  costs: z.object({
    /** Training the target, as measured when it trained (a cache hit reuses that figure). */
    trainingSeconds: z.number(),
    attackSeconds: z.number(),
    samplesPerSecond: z.number(),
    /** Reference and shadow models the attacks used, and the time they took to train. */
    referenceModels: z.number().int(),
    referenceTrainingSeconds: z.number(),
    /** Models (target included) taken from the model cache instead of trained. */
    cachedModels: z.number().int(),
    peakRssMiB: z.number(),
  }),
  seed: z.number().int(),
});

export const resultsSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('ppml-audit'), version: z.string() }),
  suite: z.object({
    name: z.string(),
    description: z.string(),
    file: z.string(),
    hash: z.string(),
  }),
  command: z.string(),
  seed: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  environment: environmentSchema,
  experiments: z.array(experimentResultSchema),
});

export type Results = z.infer<typeof resultsSchema>;
export type ExperimentResult = z.infer<typeof experimentResultSchema>;
export type AttackResult = z.infer<typeof attackResultSchema>;
export type Metric = z.infer<typeof metricSchema>;
export type Environment = z.infer<typeof environmentSchema>;
