import { createHash } from 'node:crypto';
import { Rng } from '../core/rng.js';
import { TOOL_VERSION } from '../core/version.js';
import { buildModel } from '../targets/models/index.js';
import { dpSgdTrainer, type DpSgdMechanism, type DpSgdRuntime } from '../defenses/dp/dp-sgd.js';
import { centralTrainer } from '../targets/training/central.js';
import type { TrainStats } from '../targets/training/trainer.js';
import { predictLogits } from '../targets/training/evaluate.js';
import type { Recipe } from '../targets/training/optimizers.js';
import type { Dataset } from '../targets/datasets/types.js';
import { loadDataset, type DatasetRef } from './datasets.js';
import { trainFederatedJob, type FederatedDp, type FederatedSuiteConfig } from './federated-job.js';
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
  /** Seed of the initialisation, shuffling and (seeded) noise streams. */
  seed: string;
  /** New labels for some training rows (an auditor's canaries). */
  relabel?: { rows: Int32Array; labels: Int32Array };
  /** Train by federated learning among clients that split `trainRows`; `testRows` give the per-round curve. */
  federated?: { config: FederatedSuiteConfig; testRows?: Int32Array; rootRows: Int32Array; dp?: FederatedDp };
  /** Train with DP-SGD instead of plain minibatch training. */
  dp?: { mechanism: DpSgdMechanism; secureNoise: boolean; defect?: DpSgdRuntime['defect'] };
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

/** The dataset with some labels replaced; features are shared, not copied. */
function relabelled(data: Dataset, relabel: { rows: Int32Array; labels: Int32Array }): Dataset {
  const labels = Int32Array.from(data.labels);
  relabel.rows.forEach((row, k) => (labels[row] = relabel.labels[k]));
  return { ...data, labels };
}

/** Everything that determines the trained weights, hashed: the model cache's key. */
export function jobKey(
  job: Pick<TrainJob, 'dataset' | 'trainRows' | 'model' | 'training' | 'seed' | 'dp' | 'relabel' | 'federated'>,
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
        dp: job.dp ?? null,
        federated: job.federated
          ? {
              config: job.federated.config,
              testRows: job.federated.testRows ? Array.from(job.federated.testRows) : null,
              rootRows: Array.from(job.federated.rootRows),
              dp: job.federated.dp ?? null,
            }
          : null,
        relabel: job.relabel ? [Array.from(job.relabel.rows), Array.from(job.relabel.labels)] : null,
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
  const loaded = await loadDataset(job.dataset);
  const data = job.relabel ? relabelled(loaded, job.relabel) : loaded;
  const rng = Rng.fromSeed(job.seed);
  const net = buildModel(job.model, { d: data.d, numClasses: data.numClasses, imageShape: data.imageShape }, rng.fork('init'));
  try {
    const sizes = net.params.map((p) => p.size);
    const hit = await cache?.get(job.key);
    const usable = hit && hit.weights.length === sizes.length && hit.weights.every((w, i) => w.length === sizes[i]);
    let entry;
    if (usable) {
      net.setWeights(hit.weights);
      entry = hit;
    } else if (job.federated) {
      const { config, testRows = new Int32Array(0), rootRows, dp } = job.federated;
      entry = await trainFederatedJob(config, { data, trainRows: job.trainRows, testRows, rootRows, model: job.model, rng: rng.fork('federated'), dp }, (round, accuracy) =>
        progress(`${job.label}: round ${round + 1}/${config.rounds}${accuracy === undefined ? '' : ` accuracy ${(100 * accuracy).toFixed(1)}%`}`),
      );
      net.setWeights(entry.weights);
      await cache?.put(job.key, entry);
    } else {
      // The harness wires the defense into the training loop: DP-SGD or plain training.
      const trainer = job.dp ? dpSgdTrainer(job.training, job.dp.mechanism, job.dp) : centralTrainer(job.training);
      const stats = await trainer.train(net, data, job.trainRows, rng.fork('train'), (epoch, loss) =>
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
