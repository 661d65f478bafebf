import { z } from 'zod';
import { Dense } from './dense.js';
import { Network } from './network.js';
import type { ModelDefinition } from './types.js';

const options = z.object({}).strict();

/** Multinomial logistic regression: one dense layer under softmax. */
export const logistic: ModelDefinition<typeof options> = {
  id: 'logistic',
  title: 'Logistic regression',
  description: 'Multinomial logistic regression (one dense layer, softmax cross-entropy).',
  options,
  build(input, _options, rng) {
    return new Network([new Dense(input.d, input.numClasses, rng)], [input.d], input.numClasses);
  },
};
