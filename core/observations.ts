/**
 * What an adversary can observe of a run. Each attack declares the observations it needs and
 * receives only those, so an attack can never use more than the configuration reveals.
 */
export const OBSERVATIONS = {
  queryApi: 'black-box queries of the trained model (its output for inputs the attacker chooses)',
  model: 'the trained weights (white box)',
  clientUpdates: "each federated client's update, every round",
  aggregates: 'the aggregated update of each federated round',
  transcript: 'the messages a protocol party sends and receives',
} as const;

export type ObservationId = keyof typeof OBSERVATIONS;

/** Labelled records as flat arrays; an attacker's candidates and population come in this form. */
export interface Records {
  n: number;
  d: number;
  x: Float32Array;
  y: Int32Array;
}

/** The model's prediction endpoint as a user of the deployed model sees it. */
export interface PredictionApi {
  /** `probabilities`: the full softmax vector; `labels`: only the predicted class. */
  readonly output: 'probabilities' | 'labels';
  readonly numClasses: number;
  /**
   * Row-major [records.n x numClasses] in float64 (a memorised record's 1 - p is below float32's
   * resolution); for a label-only API, one-hot rows of the predicted label.
   */
  predict(records: Records): Float64Array;
}

/**
 * Rounds for which to keep a heavy observation. Client updates cost rounds x clients x params
 * floats, so a run keeps them only when an attack asks, and can keep only the rounds it attacks.
 */
export type RoundSelection = 'all' | 'none' | readonly number[];

export function selects(selection: RoundSelection, round: number): boolean {
  return selection === 'all' || (selection !== 'none' && selection.includes(round));
}

/** Who took part in one federated round, which the server always knows, with or without secure aggregation. */
export interface RoundParticipation {
  round: number;
  /** Clients the server asked to train, ascending. */
  sampled: number[];
  /** Sampled clients whose update never arrived (offline, crashed, timed out). */
  dropped: number[];
  /** Clients whose update the aggregate counts (secure aggregation may lose more mid-protocol). */
  included: number[];
  /** Training examples behind each arrived update, by client: FedAvg's weights, sent in the clear. */
  examples: Record<number, number>;
}

/**
 * What the server of a secure aggregation holds after a round (Bonawitz et al. 2017, Fig. 4):
 * the masked inputs, every message it relayed, the secrets it reconstructed to unmask, and the
 * sum. The masked vectors alone are uniform in Z_2^32; only their sum means anything.
 */
export interface SecureAggregationView {
  masked: ReadonlyMap<number, Uint32Array>;
  /** The unmasked sum of the quantized inputs, mod 2^32. */
  sum: Uint32Array;
  selfMaskSeeds: ReadonlyMap<number, Uint8Array>;
  maskKeys: ReadonlyMap<number, Uint8Array>;
  transcript: ReadonlyArray<{ round: string; from: number | 'server'; payload: Uint8Array }>;
}

/**
 * The server's view of a federated run, by observation id. Vectors are flat: every parameter
 * in the model's `params` order, cut into tensors by `shapes`. Under plain FL the server sees
 * `clientUpdates` and `aggregates`; under secure aggregation only `aggregates` and `transcript`
 * (`exposes` says which), and a map for an observation it does not see stays empty.
 */
export interface FederatedObservations {
  /** FedSGD clients send gradients (the server steps against them); FedAvg clients send weight deltas. */
  algorithm: 'fedsgd' | 'fedavg';
  shapes: number[][];
  exposes: ObservationId[];
  participation: RoundParticipation[];
  /**
   * clientUpdates.get(round)?.get(client): the update as it reached the server, for recorded
   * rounds. Under local DP that is the clipped and noised update the client sent; under central
   * DP-FedAvg the update before the server's clip (the clip only shortens it).
   */
  clientUpdates: Map<number, Map<number, Float32Array>>;
  /** The aggregated update of each recorded round, before the server learning rate. */
  aggregates: Map<number, Float32Array>;
  /** Under secure aggregation, the server's protocol view of each recorded round. */
  transcript: Map<number, SecureAggregationView>;
}
