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
