import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import type { Cache, Layer } from './layer.js';

/**
 * Fully connected layer y = xW + b. The backward products take transposed operands through
 * matMul's flags, which every backend reads in place (on wasm, the project's kernel does).
 */
export class Dense implements Layer {
  readonly kind = 'dense';
  params: tf.Tensor[];

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    rng: Rng,
  ) {
    // Glorot-uniform weights, zero bias.
    const limit = Math.sqrt(6 / (inputs + outputs));
    const w = new Float32Array(inputs * outputs);
    for (let i = 0; i < w.length; i++) w[i] = (rng.uniform() * 2 - 1) * limit;
    this.params = [tf.keep(tf.tensor2d(w, [inputs, outputs])), tf.keep(tf.zeros([outputs]))];
  }

  forward(x: tf.Tensor): { y: tf.Tensor; cache: Cache } {
    const [w, b] = this.params as [tf.Tensor2D, tf.Tensor1D];
    return { y: tf.add(tf.matMul(x as tf.Tensor2D, w), b), cache: { x } };
  }

  paramGradients(cache: Cache, dy: tf.Tensor): tf.Tensor[] {
    const d = dy as tf.Tensor2D;
    const gw = tf.matMul(cache.x as tf.Tensor2D, d, true, false);
    // A ones-row matMul sums over the batch faster than tf.sum(axis 0) on wasm.
    const gb = tf.reshape(tf.matMul(tf.ones([1, d.shape[0]]), d), [this.outputs]);
    return [gw, gb];
  }

  inputGradient(_cache: Cache, dy: tf.Tensor): tf.Tensor {
    return tf.matMul(dy as tf.Tensor2D, this.params[0] as tf.Tensor2D, false, true);
  }

  /** Ghost-norm identity: ||dW_i||^2 + ||db_i||^2 = ||dy_i||^2 (||x_i||^2 + 1). */
  perExampleSquaredNorms(cache: Cache, dy: tf.Tensor): tf.Tensor1D {
    return tf.mul(tf.sum(tf.square(dy), 1), tf.add(tf.sum(tf.square(cache.x), 1), 1)) as tf.Tensor1D;
  }

  describe(): string {
    return `dense ${this.inputs}->${this.outputs}`;
  }
}
