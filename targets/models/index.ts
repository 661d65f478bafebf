import { Registry } from '../../core/registry.js';
import type { Rng } from '../../core/rng.js';
import { cnn } from './cnn.js';
import { logistic } from './logistic.js';
import { mlp } from './mlp.js';
import type { Network } from './network.js';
import type { ModelDefinition, ModelInput } from './types.js';

export const models = new Registry<ModelDefinition>('model', [logistic, mlp, cnn] as ModelDefinition[]);

/** A model as a suite names it: its id and options (defaults filled in by the model's schema). */
export interface ModelSpec {
  id: string;
  options?: Record<string, unknown>;
}

/** The network a spec describes, sized for `input`, initialised from `rng`. */
export function buildModel(spec: ModelSpec, input: ModelInput, rng: Rng): Network {
  const def = models.get(spec.id, 'model.id');
  return def.build(input, def.options.parse(spec.options ?? {}), rng);
}
