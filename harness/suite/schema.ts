import { z } from 'zod';
import { attacks } from '../../attacks/index.js';
import type { Configurable, Registry } from '../../core/registry.js';
import { datasets } from '../../targets/datasets/index.js';
import { models } from '../../targets/models/index.js';
import { recipeSchema } from '../../targets/training/optimizers.js';

/** A plugin reference: `{ id: ..., ...its options }`. Options are checked by the plugin's schema. */
const pluginRef = z.looseObject({ id: z.string().min(1) });

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
    attacks: z.array(pluginRef).min(1),
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
    experiments: z.array(experimentSchema).min(1),
  })
  .strict();

export type SuiteInput = z.infer<typeof suiteSchema>;
export type ExperimentInput = z.infer<typeof experimentSchema>;

/** Every plugin's options with its id as the discriminator, for editors' autocompletion. */
function unionOf(registry: Registry<Configurable>) {
  const members = registry.list().map((p) => p.options.extend({ id: z.literal(p.id) }));
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
        attacks: z.array(unionOf(attacks)).min(1),
      }),
    ),
  });
}
