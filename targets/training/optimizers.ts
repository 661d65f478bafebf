import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

export const OPTIMIZERS = ['sgd', 'adam'] as const;

export const recipeSchema = z
  .object({
    optimizer: z.enum(OPTIMIZERS).default('sgd'),
    learningRate: z.number().positive().default(0.1),
    batchSize: z.number().int().positive().default(64),
    epochs: z.number().int().positive().default(20),
    /** L2 penalty coefficient added to the gradient (PyTorch's `weight_decay`). */
    weightDecay: z.number().nonnegative().default(0),
    /** Heavy-ball momentum for SGD. */
    momentum: z.number().min(0).lt(1).default(0),
  })
  .strict();

export type Recipe = z.infer<typeof recipeSchema>;

/**
 * Turns gradients into new params; owns its state (momenta), which `dispose` frees. The caller
 * disposes the old params (Network.setParams does) and the grads.
 */
export interface Optimizer {
  step(params: tf.Tensor[], grads: tf.Tensor[]): tf.Tensor[];
  dispose(): void;
}

function withDecay(p: tf.Tensor, g: tf.Tensor, wd: number): tf.Tensor {
  return wd > 0 ? tf.add(g, tf.mul(p, wd)) : g;
}

function sgd(r: Recipe): Optimizer {
  const lr = tf.keep(tf.scalar(r.learningRate));
  let velocity: tf.Tensor[] | null = null;
  return {
    step(params, grads) {
      return tf.tidy(() => {
        const g = grads.map((gi, i) => withDecay(params[i], gi, r.weightDecay));
        let dir = g;
        if (r.momentum > 0) {
          // The first buffer is a clone (no copy): the caller may dispose the grads.
          const v = velocity ? velocity.map((vi, i) => tf.add(tf.mul(vi, r.momentum), g[i])) : g.map((gi) => tf.clone(gi));
          velocity?.forEach((vi) => vi.dispose());
          velocity = v.map((vi) => tf.keep(vi));
          dir = v;
        }
        return params.map((p, i) => tf.sub(p, tf.mul(dir[i], lr)));
      });
    },
    dispose() {
      lr.dispose();
      velocity?.forEach((v) => v.dispose());
    },
  };
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with bias correction, as PyTorch computes it:
 * p -= lr * m_hat / (sqrt(v_hat) + eps). Weight decay is the coupled L2 form.
 */
function adam(r: Recipe, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): Optimizer {
  let m: tf.Tensor[] | null = null;
  let v: tf.Tensor[] | null = null;
  let t = 0;
  return {
    step(params, grads) {
      t++;
      const stepSize = r.learningRate / (1 - beta1 ** t);
      const vScale = 1 / Math.sqrt(1 - beta2 ** t);
      return tf.tidy(() => {
        const g = grads.map((gi, i) => withDecay(params[i], gi, r.weightDecay));
        const m2 = g.map((gi, i) => (m ? tf.add(tf.mul(m[i], beta1), tf.mul(gi, 1 - beta1)) : tf.mul(gi, 1 - beta1)));
        const v2 = g.map((gi, i) =>
          v ? tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(gi), 1 - beta2)) : tf.mul(tf.square(gi), 1 - beta2),
        );
        m?.forEach((x) => x.dispose());
        v?.forEach((x) => x.dispose());
        m = m2.map((x) => tf.keep(x));
        v = v2.map((x) => tf.keep(x));
        return params.map((p, i) => {
          const denom = tf.add(tf.mul(tf.sqrt(v2[i]), vScale), eps);
          return tf.sub(p, tf.mul(tf.div(m2[i], denom), stepSize));
        });
      });
    },
    dispose() {
      m?.forEach((x) => x.dispose());
      v?.forEach((x) => x.dispose());
    },
  };
}

export function createOptimizer(r: Recipe): Optimizer {
  return r.optimizer === 'adam' ? adam(r) : sgd(r);
}
