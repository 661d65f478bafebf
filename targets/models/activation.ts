import * as tf from '@tensorflow/tfjs-core';
import type { Cache, Layer } from './layer.js';

export const ACTIVATIONS = ['tanh', 'relu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

const two = () => tf.scalar(2);
const one = () => tf.scalar(1);

/** Elementwise nonlinearity; no params. */
export class Activation implements Layer {
  readonly kind: string;
  params: tf.Tensor[] = [];
  constructor(readonly fn: ActivationName) {
    this.kind = fn;
  }

  forward(x: tf.Tensor): { y: tf.Tensor; cache: Cache } {
    if (this.fn === 'relu') return { y: tf.relu(x), cache: { x } };
    // tanh(x) = 2 sigmoid(2x) - 1: wasm's sigmoid is vectorised, its tanh is ~5x slower.
    const y = tf.sub(tf.mul(tf.sigmoid(tf.mul(x, two())), two()), one());
    return { y, cache: { y } };
  }

  backward(cache: Cache, dy: tf.Tensor): { dx: tf.Tensor; grads: tf.Tensor[] } {
    if (this.fn === 'relu') return { dx: tf.mul(dy, tf.step(cache.x)), grads: [] };
    return { dx: tf.mul(dy, tf.sub(one(), tf.square(cache.y))), grads: [] };
  }

  perExampleSquaredNorms(): null {
    return null;
  }

  describe(): string {
    return this.fn;
  }
}
