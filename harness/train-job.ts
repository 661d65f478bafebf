import { createHash } from 'node:crypto';
import { Rng } from '../core/rng.js';
import { TOOL_VERSION } from '../core/version.js';
import { models } from '../targets/models/index.js';
import { trainCentral, type TrainStats } from '../targets/training/central.js';
import { predictLogits } from '../targets/training/evaluate.js';
import type { Recipe } from '../targets/training/optimizers.js';
import { loadDataset, type DatasetRef } from './datasets.js';
import type { ModelCache } from './model-cache.js';
import type { PluginSpec } from './suite/load.js';

/** One model to train (or take from the cache), and the rows whose logits to return. Plain data. */
export interface TrainJob {
  /** Content address of the trained weights (see jobKey). */
  key: string;
  /** For progress lines: "purchase-mlp: reference 3/16". */
  label: string;
  dataset: DatasetRef;
  trainRows: Int32Array;
  model: PluginSpec;
  training: Recipe;
  /** Seed of the initialisation and shuffling streams. */
  seed: string;
  /** Rows (of the dataset) to predict once trained; their logits come back row-major. */
  queryRows?: Int32Array;
  /** Whether the caller needs the weights back (the target does; reference models do not). */
  returnWeights: boolean;
}

export interface JobResult {
  weights?: Float32Array[];
  logits?: Float32Array;
  stats: TrainStats;
  cached: boolean;
}

/** Everything that determines the trained weights, hashed: the model cache's key. */
export function jobKey(
  job: Pick<TrainJob, 'dataset' | 'trainRows' | 'model' | 'training' | 'seed'>,
  dataFingerprint: string,
  backend: string,
): string {
  const rows = createHash('sha256').update(new Uint8Array(job.trainRows.buffer, job.trainRows.byteOffset, job.trainRows.byteLength));
  return createHash('sha256')
    .update(
      JSON.stringify({
        tool: TOOL_VERSION,
        backend,
        data: dataFingerprint,
        rows: rows.digest('hex'),
        model: job.model,
        training: job.training,
        seed: job.seed,
      }),
    )
    .digest('hex');
}

/**
 * Trains the job's model on this thread's backend, or loads it from the cache when an entry
 * with its key exists; then predicts the query rows. The same function runs inline and in
 * worker threads, so both give the same models.
 */
export async function runTrainJob(job: TrainJob, cache: ModelCache | undefined, progress: (message: string) => void): Promise<JobResult> {
  const data = await loadDataset(job.dataset);
  const def = models.get(job.model.id);
  const rng = Rng.fromSeed(job.seed);
  const net = def.build({ d: data.d, numClasses: data.numClasses, imageShape: data.imageShape }, def.options.parse(job.model.options), rng.fork('init'));
  try {
    const sizes = net.params.map((p) => p.size);
    const hit = await cache?.get(job.key);
    const usable = hit && hit.weights.length === sizes.length && hit.weights.every((w, i) => w.length === sizes[i]);
    let entry;
    if (usable) {
      net.setWeights(hit.weights);
      entry = hit;
    } else {
      const stats = await trainCentral(net, data, job.trainRows, job.training, rng.fork('train'), (epoch, loss) =>
        progress(`${job.label}: epoch ${epoch + 1}/${job.training.epochs} loss ${loss.toFixed(4)}`),
      );
      entry = { weights: await net.getWeights(), stats };
      await cache?.put(job.key, entry);
    }
    return {
      stats: entry.stats,
      cached: Boolean(usable),
      ...(job.returnWeights ? { weights: entry.weights } : {}),
      ...(job.queryRows ? { logits: predictLogits(net, data, job.queryRows) } : {}),
    };
  } finally {
    net.dispose();
  }
}
