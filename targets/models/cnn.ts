import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { Activation } from './activation.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Flatten } from './flatten.js';
import { Network } from './network.js';
import type { ModelDefinition } from './types.js';

const options = z
  .object({
    filters: z.number().int().positive().default(16),
    kernel: z.number().int().positive().default(5),
    stride: z.number().int().positive().default(2),
    hidden: z.number().int().positive().default(100),
  })
  .strict();

/** A small CNN for images: strided conv, relu, dense, relu, dense. */
export const cnn: ModelDefinition<typeof options> = {
  id: 'cnn',
  title: 'Small CNN',
  description: 'One strided convolution (relu), a dense hidden layer (relu) and a softmax layer; for image datasets.',
  options,
  build(input, opts, rng) {
    if (!input.imageShape) {
      throw new InputError('the cnn model needs an image dataset (such as mnist); use mlp or logistic for tables', {
        field: 'model.id',
      });
    }
    const conv = new Conv2D(input.imageShape, opts.kernel, opts.filters, opts.stride, rng);
    const [h, w, f] = conv.outputShape;
    return new Network(
      [
        conv,
        new Activation('relu'),
        new Flatten(),
        new Dense(h * w * f, opts.hidden, rng),
        new Activation('relu'),
        new Dense(opts.hidden, input.numClasses, rng),
      ],
      input.imageShape,
      input.numClasses,
    );
  },
};
