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
    const proba = tf.softmax(logits);
    const lossSum = crossEntropySum(proba, yOneHot);
    let dy: tf.Tensor = tf.mul(tf.sub(proba, yOneHot), 1 / x.shape[0]);
    const grads: tf.Tensor[][] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      grads[i] = layer.paramGradients(caches[i], dy);
      if (this.needsDx[i]) dy = layer.inputGradient(caches[i], dy);
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
      dy = layer.inputGradient(caches[i], dy);
    }
    return total;
  }

  /**
   * The sum over the batch of each example's gradient clipped to L2 norm `clip` (DP-SGD's
   * clipped sum, Abadi et al. 2016), with no per-example gradient materialised for dense layers.
   * One forward and one backward pass: backprop is linear in each example's output gradient,
   * so the per-layer output gradients computed for the norms (ghost norms) give the clipped
   * sum once their rows are scaled by min(1, clip / ||g_i||). Also returns the summed loss and
   * how many examples were clipped. `multiplier` scales the sum at no cost (it joins the row
   * scales): DP-SGD divides by the expected batch size there.
   */
  clippedGradientSum(x: tf.Tensor2D, yOneHot: tf.Tensor2D, clip: number, multiplier = 1): { grads: tf.Tensor[]; lossSum: tf.Scalar; clipped: tf.Scalar } {
    const { logits, caches } = this.forwardAll(x);
    const proba = tf.softmax(logits);
    const lossSum = crossEntropySum(proba, yOneHot);
    let dy: tf.Tensor = tf.sub(proba, yOneHot);
    const outputGrads: tf.Tensor[] = [];
    let squared: tf.Tensor1D = tf.zeros([x.shape[0]]);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      outputGrads[i] = dy;
      const sq = this.layers[i].perExampleSquaredNorms(caches[i], dy);
      if (sq) squared = tf.add(squared, sq);
      if (!this.needsDx[i]) break;
      dy = this.layers[i].inputGradient(caches[i], dy);
    }
    const norms = tf.sqrt(squared);
    // Scale factors as a column, so each row of a layer's output gradient is scaled once.
    const scale = tf.reshape(tf.mul(tf.minimum(tf.div(clip, tf.maximum(norms, 1e-12)), 1), multiplier), [-1, 1]) as tf.Tensor2D;
    const grads = this.layers.flatMap((layer, i) => (layer.params.length ? layer.paramGradients(caches[i], scaleRows(outputGrads[i], scale)) : []));
    const clipped = tf.sum(tf.cast(tf.greater(norms, clip), 'float32')) as tf.Scalar;
    return { grads, lossSum, clipped };
  }

  /** Weights as plain arrays (for caching and for passing between threads). */
  async getWeights(): Promise<Float32Array[]> {
    return Promise.all(this.params.map(async (p) => new Float32Array(await p.data())));
  }

  /** Copies the arrays in: the cpu backend would otherwise keep the caller's arrays as its data. */
  setWeights(weights: Float32Array[]): void {
    const ps = this.params;
    if (weights.length !== ps.length) throw new RangeError(`expected ${ps.length} weight arrays, got ${weights.length}`);
    this.setParams(ps.map((p, i) => tf.tensor(Float32Array.from(weights[i]), p.shape)));
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/** The smallest normal float32: -log of it (87.3) caps the loss of an underflowed probability. */
const MIN_PROBA = 1.1754944e-38;

/**
 * Sum over the batch of -log p[y] from softmax probabilities. It reuses the softmax the
 * gradient needs: tf.logSoftmax is ~8 kernels and costs several times more on wasm. Exact up
 * to a per-example loss of 87 nats, where float32 softmax underflows; the loss is capped there.
 */
export function crossEntropySum(proba: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.sum(tf.log(tf.maximum(tf.sum(tf.mul(yOneHot, proba), 1), MIN_PROBA))));
}

/** Multiplies row i of a [batch, ...] tensor by scale[i] (scale is [batch, 1]). */
function scaleRows(t: tf.Tensor, scale: tf.Tensor2D): tf.Tensor {
  if (t.rank === 2) return tf.mul(t, scale);
  return tf.mul(t, tf.reshape(scale, [scale.shape[0], ...t.shape.slice(1).map(() => 1)]));
}
