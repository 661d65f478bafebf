import { createRequire } from 'node:module';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { DatasetDefinition } from './types.js';

/** The part of the `mnist` package (untyped CommonJS) we read: per digit, its images as one flat pixel array. */
interface MnistDigit {
  length: number;
  /** `length` images of 28x28 pixels in [0, 1], row-major, back to back. */
  raw: number[];
}

const PIXELS = 28 * 28;

const options = z.object({
  n: z.number().int().min(1).default(2000),
});

export const mnist: DatasetDefinition<typeof options> = {
  id: 'mnist',
  title: 'MNIST digits',
  description: 'Handwritten digits from the bundled `mnist` package (10,000 images), class-balanced.',
  options,
  async load({ n }, { rng }) {
    // Required here, not at import: the package parses ~21 MB of JSON.
    const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
    const available = digits.reduce((sum, digit) => sum + digit.length, 0);
    if (n > available) {
      const fix = `set dataset.n to at most ${available}`;
      throw new InputError(`n is ${n} but the mnist package bundles only ${available} images; ${fix}`, { field: 'dataset.n' });
    }

    // Round-robin over the digits, each in its own shuffled order: class counts differ by at most
    // one until a digit runs out (the smallest has 863 images).
    const order = digits.map((digit) => rng.permutation(digit.length));
    const picks: [number, number][] = [];
    for (let k = 0; picks.length < n; k++) {
      for (let c = 0; c < 10 && picks.length < n; c++) if (k < order[c].length) picks.push([c, order[c][k]]);
    }
    rng.shuffle(picks);

    const features = new Float32Array(n * PIXELS);
    const labels = new Int32Array(n);
    picks.forEach(([c, image], i) => {
      labels[i] = c;
      features.set(digits[c].raw.slice(image * PIXELS, (image + 1) * PIXELS), i * PIXELS);
    });

    return {
      description: `MNIST (N=${n}, 28x28 grayscale, 10 classes, balanced)`,
      n,
      d: PIXELS,
      numClasses: 10,
      features,
      labels,
      featureNames: Array.from({ length: PIXELS }, (_, p) => `px${Math.floor(p / 28)}_${p % 28}`),
      classNames: Array.from({ length: 10 }, (_, c) => String(c)),
      imageShape: [28, 28, 1],
    };
  },
};
