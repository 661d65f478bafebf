import type * as tf from '@tensorflow/tfjs-core';

/** What a layer keeps from its forward pass for the backward pass. */
export type Cache = Record<string, tf.Tensor>;

/**
 * One layer with an explicit backward pass. Training is written on tfjs-core ops rather than
 * autodiff or tfjs-layers `fit` because that is several times faster on the wasm backend and
 * gives per-example gradient norms for DP-SGD (Opacus registers the same rules per layer type).
 * The backward pass is split in two so that a pass which needs only one half (the per-example
 * norms need input gradients, the first layer needs only param gradients) does not pay for both.
 */
export interface Layer {
  readonly kind: string;
  /** Trainable tensors; the optimizer replaces entries in place after each step. */
  params: tf.Tensor[];
  forward(x: tf.Tensor): { y: tf.Tensor; cache: Cache };
  /** Gradients of the loss w.r.t. params (same order); [] for layers without params. */
  paramGradients(cache: Cache, dy: tf.Tensor): tf.Tensor[];
  /** Gradient of the loss w.r.t. the layer's input. */
  inputGradient(cache: Cache, dy: tf.Tensor): tf.Tensor;
  /**
   * Squared norm of each example's gradient w.r.t. this layer's params, shape [batch]; null
   * for layers without params. `dy` is the per-example output gradient (not averaged).
   */
  perExampleSquaredNorms(cache: Cache, dy: tf.Tensor): tf.Tensor1D | null;
  describe(): string;
}
