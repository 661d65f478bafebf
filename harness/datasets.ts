import { createHash } from 'node:crypto';
import { Rng } from '../core/rng.js';
import { datasets } from '../targets/datasets/index.js';
import type { Dataset } from '../targets/datasets/types.js';
import type { PluginSpec } from './suite/load.js';

/** Everything that determines a dataset's records: plain data, so jobs can carry it to a worker. */
export interface DatasetRef {
  spec: PluginSpec;
  seed: number;
  /** Folder of the suite file; relative data paths resolve against it. */
  baseDir: string;
}

const loaded = new Map<string, Promise<Dataset>>();

/** Loads a dataset once per thread: matrix variants and every job of an experiment share it. */
export function loadDataset(ref: DatasetRef): Promise<Dataset> {
  const key = JSON.stringify([ref.spec, ref.seed, ref.baseDir]);
  let p = loaded.get(key);
  if (!p) {
    const def = datasets.get(ref.spec.id);
    const rng = Rng.fromSeed(ref.seed).fork(`data/${JSON.stringify(ref.spec)}`);
    p = def.load(def.options.parse(ref.spec.options), { rng, baseDir: ref.baseDir });
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}

const fingerprints = new WeakMap<Dataset, string>();

/** A hash of the records themselves, so a cached model is reused only for the same data (an edited CSV is new data). */
export function fingerprint(data: Dataset): string {
  let f = fingerprints.get(data);
  if (!f) {
    f = createHash('sha256')
      .update(new Uint8Array(data.features.buffer, data.features.byteOffset, data.features.byteLength))
      .update(new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength))
      .update(JSON.stringify([data.d, data.numClasses, data.imageShape]))
      .digest('hex');
    fingerprints.set(data, f);
  }
  return f;
}
