import { z } from 'zod';
import { attacks } from '../../attacks/index.js';
import { dpConfigSchema } from '../../defenses/dp/config.js';
import { dpFedAvgConfigSchema } from '../../defenses/dp/dp-fedavg-config.js';
import { federatedSuiteSchema } from '../federated-job.js';
import type { Configurable, Registry } from '../../core/registry.js';
import { datasets } from '../../targets/datasets/index.js';
import { models } from '../../targets/models/index.js';
import { recipeSchema } from '../../targets/training/optimizers.js';
import { assertionsFileSchema } from '../gate/assertions.js';

/** A plugin reference: `{ id: ..., ...its options }`. Options are checked by the plugin's schema. */
const pluginRef = z.looseObject({ id: z.string().min(1) });

/** An attack may be named, so one attack can run twice with different options (lira-16, lira-64). */
const attackRef = z.looseObject({
  id: z.string().min(1),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only (it names the attack in metrics and gates)')
    .optional(),
});

export const splitSchema = z
  .object({
    members: z.number().int().nonnegative(),
    nonMembers: z.number().int().nonnegative(),
    population: z.number().int().nonnegative(),
    test: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

const experimentSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    dataset: pluginRef,
    model: pluginRef,
    training: z.record(z.string(), z.unknown()).default({}),
    split: splitSchema.default({}),
    /** Federated training: clients, rounds, partition, aggregator, secure aggregation, transport. */
    federated: federatedSuiteSchema.optional(),
    /**
     * Differential privacy: DP-SGD for central training, DP-FedAvg for a federated one (checked
     * by the schema that fits when the suite loads); absent or `epsilon: .inf` trains without.
     */
    dp: z.record(z.string(), z.unknown()).optional(),
    /** What the deployed model returns: the full probability vector, or only the top label. */
    api: z.enum(['probabilities', 'labels']).default('probabilities'),
    attacks: z.array(attackRef).min(1),
    /** Dotted paths into the experiment, each with the values to sweep; the product is run. */
    matrix: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
  })
  .strict();

export const suiteSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only (it names the output folder)'),
    description: z.string().default(''),
    seed: z.number().int().nonnegative().default(0),
    /**
     * Run every experiment once per seed (overrides `seed`): gates then compare means over the
     * seeds two runs share, so one unlucky draw does not fail a build.
     */
    seeds: z.array(z.number().int().nonnegative()).min(1).optional(),
    /** Named values that experiments use as `${name}`; `--var name=value` overrides them. */
    vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number()])).default({}),
    /** False-positive rates at which to report TPR, beyond the standard 1e-4, 1e-3 and 1e-2. */
    fprs: z.array(z.number().gt(0).lt(1)).default([]),
    experiments: z.array(experimentSchema).min(1),
    /** Assertions checked on every run, in the format of a `gate --assertions` file; an error-level failure exits 1. */
    gates: assertionsFileSchema.optional(),
    /** Leave record-level values (the most-flagged records' ids and labels) out of results.json and the reports. */
    redact: z.boolean().default(false),
  })
  .strict();

export type SuiteInput = z.infer<typeof suiteSchema>;
export type ExperimentInput = z.infer<typeof experimentSchema>;

/** Every plugin's options with its id as the discriminator, for editors' autocompletion. */
function unionOf(registry: Registry<Configurable>, extra: z.ZodRawShape = {}) {
  const members = registry.list().map((p) => p.options.extend({ id: z.literal(p.id), ...extra }));
  return z.discriminatedUnion('id', members as unknown as [z.ZodObject, ...z.ZodObject[]]);
}

/** The suite schema with each plugin's options spelled out: the source of suite.schema.json. */
export function documentedSuiteSchema() {
  return suiteSchema.extend({
    experiments: z.array(
      experimentSchema.extend({
        dataset: unionOf(datasets),
        model: unionOf(models),
        training: recipeSchema,
        dp: z.union([dpConfigSchema, dpFedAvgConfigSchema]).optional(),
        attacks: z.array(unionOf(attacks, { name: z.string().optional() })).min(1),
      }),
    ),
  });
}
