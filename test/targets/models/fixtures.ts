import { Rng } from '../../../core/rng.js';
import type { Dataset } from '../../../targets/datasets/types.js';

/** Gaussian features and uniform labels; `imageShape` marks it as images for the cnn. */
export function randomDataset(
  seed: string,
  n: number,
  d: number,
  numClasses: number,
  imageShape?: [number, number, number],
): Dataset {
  const rng = Rng.fromSeed(seed);
  return {
    description: `random (N=${n}, D=${d})`,
    n,
    d,
    numClasses,
    features: rng.fillNormal(new Float32Array(n * d)),
    labels: Int32Array.from({ length: n }, () => rng.int(numClasses)),
    featureNames: Array.from({ length: d }, (_, j) => `f${j}`),
    classNames: Array.from({ length: numClasses }, (_, k) => `c${k}`),
    imageShape,
  };
}

/** Rows 0..count-1, the index form the training and evaluation functions take. */
export const firstRows = (count: number): Int32Array => Int32Array.from({ length: count }, (_, i) => i);

/** Each class a random ±1 prototype plus N(0, noise²) per feature: separable for small noise. */
export function separableDataset(seed: string, n: number, d: number, numClasses: number, noise = 0.5): Dataset {
  const rng = Rng.fromSeed(seed);
  const prototypes = Float32Array.from({ length: numClasses * d }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const data = randomDataset(`${seed}/rows`, n, d, numClasses);
  data.features.forEach((v, i) => {
    const row = Math.floor(i / d);
    data.features[i] = prototypes[data.labels[row] * d + (i % d)] + noise * v;
  });
  return { ...data, description: `separable (N=${n}, D=${d}, ${numClasses} classes)` };
}
