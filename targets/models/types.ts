import type { z } from 'zod';
import type { Configurable } from '../../core/registry.js';
import type { Rng } from '../../core/rng.js';
import type { Network } from './network.js';

/** The data facts a model needs to size its layers. */
export interface ModelInput {
  d: number;
  numClasses: number;
  imageShape?: [number, number, number];
}

export interface ModelDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  build(input: ModelInput, options: z.infer<O>, rng: Rng): Network;
}
