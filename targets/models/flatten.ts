import * as tf from '@tensorflow/tfjs-core';
import type { Cache, Layer } from './layer.js';

/** Reshapes [batch, ...] to [batch, features]; its gradient is the inverse reshape. */
export class Flatten implements Layer {
  readonly kind = 'flatten';
  params: tf.Tensor[] = [];

  forward(x: tf.Tensor): { y: tf.Tensor; cache: Cache } {
    return { y: tf.reshape(x, [x.shape[0], -1]), cache: { x } };
  }

  paramGradients(): tf.Tensor[] {
    return [];
  }

  inputGradient(cache: Cache, dy: tf.Tensor): tf.Tensor {
    return tf.reshape(dy, cache.x.shape);
  }

  perExampleSquaredNorms(): null {
    return null;
  }

  describe(): string {
    return 'flatten';
  }
}
