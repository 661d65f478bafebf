import { z } from 'zod';
import { Activation, ACTIVATIONS } from './activation.js';
import { Dense } from './dense.js';
import type { Layer } from './layer.js';
import { Network } from './network.js';
import type { ModelDefinition } from './types.js';

const options = z
  .object({
    hidden: z.array(z.number().int().positive()).min(1).default([256]),
    activation: z.enum(ACTIVATIONS).default('tanh'),
  })
  .strict();

/** Multilayer perceptron: dense layers with a nonlinearity between them. */
export const mlp: ModelDefinition<typeof options> = {
  id: 'mlp',
  title: 'Multilayer perceptron',
  description: 'Dense layers of the given hidden sizes with tanh or relu between them.',
  options,
  build(input, opts, rng) {
    const sizes = [input.d, ...opts.hidden, input.numClasses];
    const layers: Layer[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      if (i > 0) layers.push(new Activation(opts.activation));
      layers.push(new Dense(sizes[i], sizes[i + 1], rng));
    }
    return new Network(layers, [input.d], input.numClasses);
  },
};
