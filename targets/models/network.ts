import * as tf from '@tensorflow/tfjs-core';
import type { Cache, Layer } from './layer.js';

/**
 * A feed-forward stack of layers trained with softmax cross-entropy. All work happens in
 * tfjs-core ops with the layers' explicit backward passes.
 */
export class Network {
  constructor(
    readonly layers: Layer[],
    /** Per-example input shape the first layer expects, e.g. [784] or [28, 28, 1]. */
    readonly inputShape: number[],
    readonly numClasses: number,
  ) {
    // A layer needs its input gradient only if some layer below it has params.
    let seen = false;
    this.needsDx = layers.map((l) => {
      const need = seen;
      seen ||= l.params.length > 0;
      return need;
    });
  }

  /** needsDx[i]: whether backprop must continue below layer i. */
  private readonly needsDx: boolean[];

  get params(): tf.Tensor[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Replaces every param (in `params` order); the old tensors are disposed. */
  setParams(next: tf.Tensor[]): void {
    let k = 0;
    for (const layer of this.layers) {
      for (let i = 0; i < layer.params.length; i++) {
        const old = layer.params[i];
        layer.params[i] = tf.keep(next[k++]);
        if (old !== layer.params[i]) old.dispose();
      }
    }
    if (k !== next.length) throw new RangeError(`expected ${k} params, got ${next.length}`);
  }

  parameterCount(): number {
    return this.params.reduce((s, p) => s + p.size, 0);
  }

  describe(): string {
    return this.layers.map((l) => l.describe()).join(' > ');
  }

  private shapeInput(x: tf.Tensor2D): tf.Tensor {
    return this.inputShape.length === 1 ? x : tf.reshape(x, [x.shape[0], ...this.inputShape]);
  }

  private forwardAll(x: tf.Tensor2D): { logits: tf.Tensor2D; caches: Cache[] } {
    let h = this.shapeInput(x);
    const caches: Cache[] = [];
    for (const layer of this.layers) {
      const { y, cache } = layer.forward(h);
      caches.push(cache);
      h = y;
    }
    return { logits: h as tf.Tensor2D, caches };
  }

  /** Logits for a batch of flat rows [batch, features]. Call inside tf.tidy or dispose. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return this.forwardAll(x).logits;
  }

  /**
   * Mean-loss gradients for one batch (in `params` order) and the summed loss, as tensors so
   * no value leaves the backend until the caller asks. `yOneHot` is [batch, classes].
   */
  gradients(x: tf.Tensor2D, yOneHot: tf.Tensor2D): { grads: tf.Tensor[]; lossSum: tf.Scalar } {
    const { logits, caches } = this.forwardAll(x);
    const lossSum = softmaxCrossEntropySum(logits, yOneHot);
    let dy: tf.Tensor = tf.div(tf.sub(tf.softmax(logits), yOneHot), x.shape[0]);
    const grads: tf.Tensor[][] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const { dx, grads: g } = layer.backward(caches[i], dy, this.needsDx[i]);
      grads.unshift(g);
      if (dx) dy = dx;
    }
    return { grads: grads.flat(), lossSum };
  }

  /**
   * Each example's squared gradient norm over all params, by the layers' per-example rules
   * (ghost norms for dense layers). The rules take the un-averaged per-example output gradient.
   */
  perExampleSquaredNorms(x: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor1D {
    const { logits, caches } = this.forwardAll(x);
    let dy: tf.Tensor = tf.sub(tf.softmax(logits), yOneHot);
    let total: tf.Tensor1D = tf.zeros([x.shape[0]]);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const sq = layer.perExampleSquaredNorms(caches[i], dy);
      if (sq) total = tf.add(total, sq);
      if (!this.needsDx[i]) break;
      dy = layer.backward(caches[i], dy, true).dx as tf.Tensor;
    }
    return total;
  }

  /** Weights as plain arrays (for caching and for passing between threads). */
  async getWeights(): Promise<Float32Array[]> {
    return Promise.all(this.params.map(async (p) => new Float32Array(await p.data())));
  }

  setWeights(weights: Float32Array[]): void {
    const ps = this.params;
    if (weights.length !== ps.length) throw new RangeError(`expected ${ps.length} weight arrays, got ${weights.length}`);
    this.setParams(ps.map((p, i) => tf.tensor(weights[i], p.shape)));
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/** Sum over the batch of -log softmax(logits)[y], computed stably via logSoftmax. */
export function softmaxCrossEntropySum(logits: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits))));
}
