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

/**
 * One score of an experiment, 0-100 as Lighthouse shows them (core/scores.ts computes them):
 * the value, its band, the formula that made it and the numbers it read. A score whose inputs
 * are missing is n/a with value null, never a made-up number.
 */
export const scoreSchema = z.object({
  value: z.number().nullable(),
  band: z.enum(['good', 'average', 'poor', 'n/a']),
  formula: z.string(),
  /** The numbers the formula read and where they came from (an attack id, a baseline experiment id). */
  inputs: z.record(z.string(), z.union([z.number(), z.string()])),
});

export const scoresSchema = z.object({ privacy: scoreSchema, utility: scoreSchema, cost: scoreSchema });

/** One option of one gate assertion checked on one experiment: a JUnit test case, a table row. */
export const gateOutcomeSchema = z.object({
  /** Experiment id; with several seeds, the outcome is about their mean. */
  experiment: z.string(),
  experimentName: z.string(),
  /** Canonical metric id. */
  metric: z.string(),
  /** The assertion key as written (`membership.*.auc`) and the file or preset it came from. */
  assertion: z.string(),
  source: z.string(),
  level: z.enum(['error', 'warn']),
  option: z.enum(['min', 'max', 'maxIncrease', 'maxDecrease', 'maxMetric']),
  /** `found <operator> expected` must hold. */
  operator: z.enum(['<=', '>=']),
  /** The limit: the option's value, or for maxMetric the other metric's value. */
  expected: z.number().nullable(),
  /** The checked number: the metric's value, or for maxIncrease/maxDecrease its change. Null when it cannot be computed. */
  found: z.number().nullable(),
  /** The baseline's value, for maxIncrease/maxDecrease. */
  baseline: z.number().optional(),
  /** The seeds whose mean was compared. */
  seeds: z.array(z.number().int()),
  passed: z.boolean(),
  /** One line for people: what was measured against what. */
  message: z.string(),
});

export const environmentSchema = z.object({
  node: z.string(),
  platform: z.string(),
  cpu: z.string(),
  cores: z.number().int(),
  memoryGiB: z.number(),
  backend: z.string(),
});

/** A differential-privacy guarantee as the accountant computed it, with everything it assumes. */
export const privacySchema = z.object({
  /** DP-SGD guards each training record; DP-FedAvg each client's whole data (user level). */
  mechanism: z.enum(['dp-sgd', 'dp-fedavg']),
  /** DP-FedAvg: the server noises the sum (central) or every client its own update (local). */
  mode: z.enum(['central', 'local']).optional(),
  epsilon: z.number(),
  delta: z.number(),
  noiseMultiplier: z.number(),
  clip: z.number(),
  sampleRate: z.number(),
  steps: z.number().int(),
  accountant: z.string(),
  /** The analysis and conversion behind the number (e.g. RDP with Balle et al.'s conversion). */
  method: z.string(),
  assumptions: z.record(z.string(), z.string()),
  /** Accountant internals: the RDP order chosen, PRV error bounds. */
  details: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(z.string()),
  /** Where the noise came from: the seed's CSPRNG stream (reproducible) or the OS. */
  noise: z.enum(['seeded', 'secure']),
  /** The share of per-example gradients the clipping norm cut, over the target's training. */
  clippedFraction: z.number().optional(),
});

/** How a federated target trained: the protocol, what the server saw, per-round utility and costs. */
export const federatedSummarySchema = z.object({
  algorithm: z.enum(['fedavg', 'fedsgd']),
  clients: z.number().int(),
  rounds: z.number().int(),
  /** The aggregator as composed, outermost first: `norm-bounded(M=1) > mean`. */
  aggregator: z.string(),
  secureAggregation: z.boolean(),
  transport: z.enum(['in-process', 'network']),
  /** Each client's update, or only their sum (secure aggregation). */
  serverSees: z.enum(['updates', 'sum']),
  curve: z.array(z.object({ round: z.number().int(), accuracy: z.number(), loss: z.number() })),
  participation: z.object({ meanSampled: z.number(), meanDropped: z.number(), meanIncluded: z.number() }),
  costs: z.object({
    /** The network the counted traffic is projected onto (lan, wan, custom). */
    profile: z.string(),
    measuredMsPerRound: z.number(),
    projectedMsPerRound: z.number(),
    upBytesPerClient: z.number(),
    downBytesPerClient: z.number(),
    messagesPerRound: z.number(),
  }),
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
    /** The suite's `federated:` block as written. */
    federated: z.record(z.string(), z.unknown()).optional(),
    /** The suite's `dp:` block as written (the resolved mechanism is in `privacy`). */
    dp: z.record(z.string(), z.unknown()).optional(),
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
  /** The formal guarantee, for experiments trained with differential privacy. */
  privacy: privacySchema.optional(),
  /** For federated targets: the protocol and its per-round record. */
  federated: federatedSummarySchema.optional(),
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
  /** Privacy, utility and cost, computed once every experiment ran (utility and cost compare with a baseline). */
  scores: scoresSchema.optional(),
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
  /** The outcomes of the suite's own `gates:`; absent when it has none. */
  gates: z.array(gateOutcomeSchema).optional(),
  /** True when record-level values (the most-flagged records' ids and labels) were left out. */
  redacted: z.boolean().optional(),
});

export type Results = z.infer<typeof resultsSchema>;
export type ExperimentResult = z.infer<typeof experimentResultSchema>;
export type AttackResult = z.infer<typeof attackResultSchema>;
export type Metric = z.infer<typeof metricSchema>;
export type Environment = z.infer<typeof environmentSchema>;
export type Score = z.infer<typeof scoreSchema>;
export type Scores = z.infer<typeof scoresSchema>;
export type Band = Score['band'];
export type GateOutcome = z.infer<typeof gateOutcomeSchema>;
export type Privacy = z.infer<typeof privacySchema>;
export type FederatedSummary = z.infer<typeof federatedSummarySchema>;
