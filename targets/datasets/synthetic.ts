import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import type { DatasetDefinition } from './types.js';

const options = z.object({
  n: z.number().int().min(1).default(4000),
  features: z.number().int().min(1).default(600),
  classes: z.number().int().min(1).default(100),
  flip: z.number().min(0).max(1).default(0.1),
  /**
   * Each record's flip probability is drawn uniformly from flip +- flipSpread: records near
   * their prototype are easy, far ones hard, as in real data. Per-record difficulty is what
   * separates calibrated attacks (LiRA, RMIA) from a global loss threshold.
   */
  flipSpread: z.number().min(0).max(0.5).default(0),
  density: z.number().min(0).max(1).default(0.5),
}).refine((o) => o.flip - o.flipSpread >= 0 && o.flip + o.flipSpread <= 1, {
  message: 'flip - flipSpread and flip + flipSpread must lie in [0, 1]',
  path: ['flipSpread'],
});

/** `count` uniform 32-bit words in one draw, so a row costs one AES-CTR call, not `count`. */
function uint32s(rng: Rng, count: number): Uint32Array {
  const out = new Uint32Array(count);
  new Uint8Array(out.buffer).set(rng.bytes(count * 4));
  return out;
}

/** Bernoulli(p) as `word < threshold` on a uniform 32-bit word. */
const threshold = (p: number): number => Math.round(p * 2 ** 32);

/**
 * Purchase-100-like binary data (Shokri et al. 2017 cluster their purchase records into 100
 * classes): each class has a random binary prototype, each record is its class's prototype with
 * every bit flipped independently with probability `flip`. Prototypes are drawn first, then
 * records one by one, so a smaller `n` gives a prefix of a larger one under the same seed.
 */
export const synthetic: DatasetDefinition<typeof options> = {
  id: 'synthetic',
  title: 'Synthetic purchase-like',
  description: 'Binary records near random class prototypes, a stand-in for Purchase-100.',
  options,
  async load({ n, features: d, classes, flip, flipSpread, density }, { rng }) {
    const on = threshold(density);
    const prototypes = uint32s(rng, classes * d).map((u) => (u < on ? 1 : 0));

    const features = new Float32Array(n * d);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(classes);
      labels[i] = c;
      // No draw when there is no spread, so existing seeds keep their records.
      const flips = threshold(flipSpread > 0 ? flip + flipSpread * (2 * rng.uniform() - 1) : flip);
      const u = uint32s(rng, d);
      const proto = c * d;
      const row = i * d;
      for (let j = 0; j < d; j++) features[row + j] = u[j] < flips ? 1 - prototypes[proto + j] : prototypes[proto + j];
    }

    return {
      description: `synthetic purchase-like (N=${n}, D=${d}, ${classes} classes, flip ${flip}${flipSpread ? ` \u00b1 ${flipSpread}` : ''}, density ${density})`,
      n,
      d,
      numClasses: classes,
      features,
      labels,
      featureNames: Array.from({ length: d }, (_, j) => `f${j}`),
      classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
    };
  },
};
