import type { FederatedSummary } from '../../core/results.js';
import type { Rng } from '../../core/rng.js';
import type { Dataset } from '../datasets/types.js';
import type { Network } from '../models/network.js';

export interface TrainStats {
  /** Mean training loss per epoch (over the batches seen in that epoch). */
  lossCurve: number[];
  seconds: number;
  samplesPerSecond: number;
  /** DP-SGD: the share of per-example gradients that the clipping norm cut. */
  clippedFraction?: number;
  /** Federated training: the protocol's record (utility per round, participation, costs). */
  federated?: FederatedSummary;
}

export type EpochCallback = (epoch: number, loss: number) => void;

/**
 * How a network learns from rows of a dataset. Plain minibatch training lives here; DP-SGD
 * (defenses/dp) implements the same interface and the runner wires in the one a
 * configuration asks for (Opacus's privacy engine wraps an optimizer the same way).
 */
export interface Trainer {
  readonly epochs: number;
  train(net: Network, data: Dataset, rows: Int32Array, rng: Rng, onEpoch?: EpochCallback): Promise<TrainStats>;
}
