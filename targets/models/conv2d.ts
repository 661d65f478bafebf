import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import type { Cache, Layer } from './layer.js';

/**
 * Valid-padding strided convolution as im2col + matMul. The wasm backend has no
 * Conv2DBackpropFilter kernel, and im2col turns the filter gradient and the per-example norms
 * into plain matMuls. It computes no input gradient, so it must be a model's first layer.
 */
export class Conv2D implements Layer {
  readonly kind = 'conv2d';
  params: tf.Tensor[];
  readonly outHeight: number;
  readonly outWidth: number;
  private readonly patchSize: number;

  constructor(
    readonly input: [number, number, number],
    readonly kernel: number,
    readonly filters: number,
    readonly stride: number,
    rng: Rng,
  ) {
    const [h, w, c] = input;
    this.outHeight = Math.floor((h - kernel) / stride) + 1;
    this.outWidth = Math.floor((w - kernel) / stride) + 1;
    if (this.outHeight < 1 || this.outWidth < 1) throw new RangeError(`kernel ${kernel} does not fit input ${h}x${w}`);
    this.patchSize = kernel * kernel * c;
    const limit = Math.sqrt(6 / (this.patchSize + filters));
    const wts = new Float32Array(this.patchSize * filters);
    for (let i = 0; i < wts.length; i++) wts[i] = (rng.uniform() * 2 - 1) * limit;
    this.params = [tf.keep(tf.tensor2d(wts, [this.patchSize, filters])), tf.keep(tf.zeros([filters]))];
  }

  get outputShape(): [number, number, number] {
    return [this.outHeight, this.outWidth, this.filters];
  }

  /** [batch, positions, kernel*kernel*channels], patch entries ordered (kh, kw, c). */
  private patches(x: tf.Tensor4D): tf.Tensor3D {
    const [b, , , c] = x.shape;
    const s = this.stride;
    const slices: tf.Tensor4D[] = [];
    for (let i = 0; i < this.kernel; i++) {
      for (let j = 0; j < this.kernel; j++) {
        const end = [b, i + s * (this.outHeight - 1) + 1, j + s * (this.outWidth - 1) + 1, c];
        slices.push(tf.stridedSlice(x, [0, i, j, 0], end, [1, s, s, 1]) as tf.Tensor4D);
      }
    }
    // [b, oh, ow, k*k, c] -> [b, oh*ow, k*k*c]
    return tf.reshape(tf.stack(slices, 3), [b, this.outHeight * this.outWidth, this.patchSize]);
  }

  forward(x: tf.Tensor): { y: tf.Tensor; cache: Cache } {
    const b = x.shape[0];
    const p = this.patches(x as tf.Tensor4D);
    const flat = tf.reshape(p, [b * this.outHeight * this.outWidth, this.patchSize]) as tf.Tensor2D;
    const y = tf.add(tf.matMul(flat, this.params[0] as tf.Tensor2D), this.params[1]);
    return { y: tf.reshape(y, [b, this.outHeight, this.outWidth, this.filters]), cache: { p, flat } };
  }

  paramGradients(cache: Cache, dy: tf.Tensor): tf.Tensor[] {
    const d = tf.reshape(dy, [-1, this.filters]) as tf.Tensor2D;
    const gw = tf.matMul(cache.flat as tf.Tensor2D, d, true, false);
    const gb = tf.reshape(tf.matMul(tf.ones([1, d.shape[0]]), d), [this.filters]);
    return [gw, gb];
  }

  inputGradient(): tf.Tensor {
    throw new Error('Conv2D computes no input gradient: place it first in the model');
  }

  /** Materialized per-example filter gradients P_i^T dY_i; the bias gradient is sum_pos dY_i. */
  perExampleSquaredNorms(cache: Cache, dy: tf.Tensor): tf.Tensor1D {
    const b = dy.shape[0];
    const d = tf.reshape(dy, [b, this.outHeight * this.outWidth, this.filters]) as tf.Tensor3D;
    const gw = tf.matMul(cache.p as tf.Tensor3D, d, true, false);
    const gb = tf.sum(d, 1);
    return tf.add(tf.sum(tf.square(gw), [1, 2]), tf.sum(tf.square(gb), 1)) as tf.Tensor1D;
  }

  describe(): string {
    return `conv2d ${this.kernel}x${this.kernel}/${this.stride} ${this.input[2]}->${this.filters}`;
  }
}
