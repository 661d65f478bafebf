import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/rng.js';
import { BatchMaker } from '../../targets/training/batches.js';
import { createOptimizer, type Recipe } from '../../targets/training/optimizers.js';
import type { Trainer, TrainStats } from '../../targets/training/trainer.js';

/** DP-SGD's mechanism parameters, resolved (the noise multiplier already found from a target epsilon). */
export interface DpSgdMechanism {
  /** sigma: the noise standard deviation is sigma * clip. */
  noiseMultiplier: number;
  /** C: every example's gradient is clipped to this L2 norm. */
  clip: number;
  /** q: each record joins each step's batch independently with this probability (Poisson). */
  sampleRate: number;
  /** T: the number of noisy steps the accountant composes. */
  steps: number;
}

export interface DpSgdRuntime {
  /** Draw the noise from the operating system instead of the run's seeded stream. */
  secureNoise?: boolean;
  /**
   * A deliberate defect, for tests of the audit only: a DP implementation that forgets its
   * noise or its clipping must be caught. Not reachable from a suite file.
   */
  defect?: 'no-noise' | 'no-clip';
}

/**
 * Each row independently with probability q, drawn by geometric skips between picks so a step
 * costs O(qN) draws rather than N: the gap to the next pick is Geometric(q).
 */
export function poissonSample(rows: Int32Array, q: number, rng: Rng): Int32Array {
  if (q >= 1) return rows.slice();
  const picked: number[] = [];
  const logMiss = Math.log1p(-q);
  for (let i = -1; ; ) {
    i += 1 + Math.floor(Math.log(1 - rng.uniform()) / logMiss);
    if (i >= rows.length) break;
    picked.push(rows[i]);
  }
  return Int32Array.from(picked);
}

/**
 * DP-SGD, Abadi et al. 2016, Algorithm 1, with Poisson subsampling as the RDP and PRV analyses
 * assume (Mironov et al. 2019): each step draws every record with probability q, clips each
 * example's gradient to norm C, adds N(0, sigma^2 C^2) to the sum and divides by the expected
 * batch size qN (Opacus does the same, so an empty or large batch does not change the scale).
 * The clipped sum comes from ghost norms in one backward pass (Network.clippedGradientSum);
 * the noise is drawn from a CSPRNG. Steps per epoch are 1/q, so epochs * N / batchSize steps
 * in all, the count the accountant is given.
 */
export function dpSgdTrainer(recipe: Recipe, mechanism: DpSgdMechanism, { secureNoise = false, defect }: DpSgdRuntime = {}): Trainer {
  const { noiseMultiplier: sigma, clip, sampleRate: q } = mechanism;
  return {
    epochs: recipe.epochs,
    async train(net, data, rows, rng, onEpoch): Promise<TrainStats> {
      const optimizer = createOptimizer(recipe);
      const batches = new BatchMaker(data);
      const sampler = rng.fork('poisson');
      const noise = secureNoise ? Rng.secure() : rng.fork('noise');
      const expected = q * rows.length;
      const stepsPerEpoch = Math.round(mechanism.steps / recipe.epochs);
      const buffers = net.params.map((p) => new Float32Array(p.size));
      const lossCurve: number[] = [];
      let seen = 0;
      let clipped = 0;
      const t0 = performance.now();
      try {
        for (let epoch = 0; epoch < recipe.epochs; epoch++) {
          // Loss and clip counts stay on the backend until the epoch ends: one sync per epoch.
          let totals: tf.Tensor1D = tf.zeros([2]);
          let epochSeen = 0;
          for (let s = 0; s < stepsPerEpoch; s++) {
            const batch = poissonSample(rows, q, sampler);
            // Noise and clipped sum both arrive divided by the expected batch size.
            for (const b of buffers) noise.fillNormal(b, defect === 'no-noise' ? 0 : (sigma * clip) / expected);
            const next = tf.tidy(() => {
              let sums: tf.Tensor[];
              let add: tf.Tensor1D = tf.zeros([2]);
              if (batch.length) {
                const { x, y } = batches.make(batch, 0, batch.length);
                const r = net.clippedGradientSum(x, y, defect === 'no-clip' ? Number.MAX_VALUE : clip, 1 / expected);
                sums = r.grads;
                add = tf.stack([r.lossSum, r.clipped]) as tf.Tensor1D;
              } else {
                sums = net.params.map((p) => tf.zerosLike(p));
              }
              const grads = sums.map((g, k) => tf.add(g, tf.tensor(buffers[k], g.shape)));
              return { params: optimizer.step(net.params, grads), totals: tf.add(totals, add) as tf.Tensor1D };
            });
            net.setParams(next.params);
            totals.dispose();
            totals = next.totals;
            epochSeen += batch.length;
          }
          const [lossSum, clippedNow] = await totals.data();
          totals.dispose();
          seen += epochSeen;
          clipped += clippedNow;
          const mean = lossSum / Math.max(1, epochSeen);
          lossCurve.push(mean);
          onEpoch?.(epoch, mean);
        }
      } finally {
        optimizer.dispose();
      }
      const seconds = (performance.now() - t0) / 1000;
      return { lossCurve, seconds, samplesPerSecond: seen / seconds, clippedFraction: clipped / Math.max(1, seen) };
    },
  };
}
