import type { Dataset } from '../../../targets/datasets/types.js';
import type { FederatedRunInput } from '../../../targets/federated/train.js';
import { weightedMean } from '../../../targets/federated/weighted-mean.js';
import { Rng } from '../../../core/rng.js';
import { firstRows, separableDataset } from '../models/fixtures.js';

/** A small separable problem: rows 0..199 train, 200..259 test. */
export const smallData: Dataset = separableDataset('federated', 260, 10, 3, 0.8);
export const trainRows = firstRows(200);
export const testRows = Int32Array.from({ length: 60 }, (_, i) => 200 + i);

/** A run of the plain FedAvg mean on the small problem; override what a test varies. */
export function smallRun(overrides: Partial<FederatedRunInput> = {}): FederatedRunInput {
  return {
    data: smallData,
    trainRows,
    testRows,
    model: { id: 'mlp', options: { hidden: [8] } },
    options: { clients: 4, rounds: 3, localBatchSize: 16, localLearningRate: 0.2 },
    aggregator: weightedMean,
    rng: Rng.fromSeed('federated'),
    ...overrides,
  };
}

export const maxAbsDiff = (a: readonly Float32Array[], b: readonly Float32Array[]): number =>
  Math.max(...a.map((w, i) => w.reduce((m, v, j) => Math.max(m, Math.abs(v - b[i][j])), 0)));
