import type { z } from 'zod';
import type { Configurable } from '../../core/registry.js';
import type { Rng } from '../../core/rng.js';

/**
 * A labelled table held in flat typed arrays (row-major `features`, one `labels` entry a row),
 * the form the training loops copy batches from without per-row objects.
 */
export interface Dataset {
  /** Human-readable origin, e.g. "synthetic purchase-like (N=4000, D=600, 100 classes)". */
  description: string;
  n: number;
  /** Features per record (after one-hot encoding). */
  d: number;
  numClasses: number;
  features: Float32Array;
  labels: Int32Array;
  featureNames: string[];
  classNames: string[];
  /** Set for images, so convolutional models can reshape rows: [height, width, channels]. */
  imageShape?: [number, number, number];
}

/** Context a loader gets: a seeded stream and the folder relative paths resolve against. */
export interface LoadContext {
  rng: Rng;
  /** Folder of the suite file; relative `path` options resolve against it. */
  baseDir: string;
}

export interface DatasetDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  load(options: z.infer<O>, ctx: LoadContext): Promise<Dataset>;
}

/** Index sets into one Dataset; disjoint by construction. */
export interface Splits {
  /** The target's training set. */
  members: Int32Array;
  /** Held out from the target: the negatives of membership evaluation. */
  nonMembers: Int32Array;
  /** The attacker's own data from the same distribution (reference/shadow models, thresholds). */
  population: Int32Array;
  /** Utility evaluation only. */
  test: Int32Array;
}

export type SplitSizes = Record<keyof Splits, number>;
