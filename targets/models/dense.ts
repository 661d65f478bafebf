import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import type { Cache, Layer } from './layer.js';

/**
 * Fully connected layer y = xW + b. Gradients use explicit transposes before matMul:
 * matMul's transposeA/transposeB flags take a slow path on the wasm backend (measured ~20x).
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
    const [w, b] = this.params;
    return { y: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b), cache: { x } };
  }

  backward(cache: Cache, dy: tf.Tensor, needDx: boolean): { dx?: tf.Tensor; grads: tf.Tensor[] } {
    const x = cache.x as tf.Tensor2D;
    const d = dy as tf.Tensor2D;
    const gw = tf.matMul(tf.transpose(x), d);
    // A ones-row matMul sums over the batch faster than tf.sum(axis 0) on wasm.
    const gb = tf.reshape(tf.matMul(tf.ones([1, d.shape[0]]), d), [this.outputs]);
    const dx = needDx ? tf.matMul(d, tf.transpose(this.params[0] as tf.Tensor2D)) : undefined;
    return { dx, grads: [gw, gb] };
  }

  /** Ghost-norm identity: ||dW_i||^2 + ||db_i||^2 = ||dy_i||^2 (||x_i||^2 + 1). */
  perExampleSquaredNorms(cache: Cache, dy: tf.Tensor): tf.Tensor1D {
    return tf.mul(tf.sum(tf.square(dy), 1), tf.add(tf.sum(tf.square(cache.x), 1), 1)) as tf.Tensor1D;
  }

  describe(): string {
    return `dense ${this.inputs}->${this.outputs}`;
  }
}
