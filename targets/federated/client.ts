/**
 * A federated client's work in one round: load the global weights, train on its own rows, send
 * the result. The same code runs in-process and in a client process, so both give the same
 * bits for the same seed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../datasets/types.js';
import type { Network } from '../models/network.js';
import { BatchMaker } from '../training/batches.js';
import { sgdPass } from '../training/central.js';
import { createOptimizer, recipeSchema } from '../training/optimizers.js';
import type { ClientUpdate } from './aggregator.js';
import type { LocalPlan } from './config.js';
import { flatten, unflatten } from './vectors.js';

/** Rows per forward pass when a FedSGD gradient covers more rows than fit one pass comfortably. */
const GRADIENT_CHUNK = 512;
export const SEED_BYTES = 16;

/**
 * A client's randomness for one round (its shuffles and minibatches), derived from the run's
 * stream so that every transport gives the same client the same draws.
 */
export const clientSeed = (rng: Rng, round: number, client: number): Uint8Array => rng.fork(`round/${round}/client/${client}`).bytes(SEED_BYTES);

export const seedRng = (seed: Uint8Array): Rng => Rng.fromSeed(Buffer.from(seed).toString('hex'));

/** McMahan et al.'s ClientUpdate: SGD from the global weights for E epochs (or a number of steps) with batch B. */
function localSgd(net: Network, data: Dataset, rows: Int32Array, plan: Extract<LocalPlan, { algorithm: 'fedavg' }>, rng: Rng): void {
  const optimizer = createOptimizer(recipeSchema.parse({ optimizer: 'sgd', learningRate: plan.learningRate, batchSize: plan.batchSize }));
  const batches = new BatchMaker(data);
  const order = Int32Array.from(rows);
  let loss: tf.Scalar = tf.scalar(0);
  try {
    if (plan.steps === undefined) {
      for (let epoch = 0; epoch < plan.epochs; epoch++) {
        rng.shuffle(order);
        loss = sgdPass(net, batches, optimizer, order, plan.batchSize, loss);
      }
    } else {
      // Steps run through fresh shuffles of the rows, an epoch at a time.
      const perEpoch = Math.ceil(order.length / plan.batchSize);
      for (let left = plan.steps; left > 0; left -= perEpoch) {
        rng.shuffle(order);
        loss = sgdPass(net, batches, optimizer, order.subarray(0, Math.min(order.length, left * plan.batchSize)), plan.batchSize, loss);
      }
    }
  } finally {
    loss.dispose();
    optimizer.dispose();
  }
}

/** The mean-loss gradient over `rows`, a chunk at a time, each chunk weighted by its share of the rows. */
async function meanGradient(net: Network, data: Dataset, rows: Int32Array): Promise<Float32Array> {
  const batches = new BatchMaker(data);
  let acc: tf.Tensor[] | null = null;
  for (let start = 0; start < rows.length; start += GRADIENT_CHUNK) {
    const end = Math.min(rows.length, start + GRADIENT_CHUNK);
    const { x, y } = batches.make(rows, start, end);
    const share = (end - start) / rows.length;
    const prev: tf.Tensor[] | null = acc;
    acc = tf.tidy(() => {
      const { grads } = net.gradients(x, y);
      const part = share === 1 ? grads : grads.map((g) => tf.mul(g, share));
      return prev ? part.map((g, i) => tf.add(prev[i], g)) : part;
    });
    tf.dispose([x, y, ...(prev ?? [])]);
  }
  const parts = await Promise.all(acc!.map(async (g) => new Float32Array(await g.data())));
  tf.dispose(acc!);
  return flatten(parts);
}

/**
 * The honest client: from `global`, FedAvg trains locally and sends its weight delta; FedSGD
 * sends the gradient of its rows (or of a minibatch of them, drawn without replacement).
 * Leaves `net` holding whatever weights the work ended on.
 */
export async function honestUpdate(
  net: Network,
  data: Dataset,
  rows: Int32Array,
  global: Float32Array,
  plan: LocalPlan,
  seed: Uint8Array,
  client: number,
): Promise<ClientUpdate> {
  net.setWeights(unflatten(global, net.params.map((p) => p.size)));
  const rng = seedRng(seed);
  if (plan.algorithm === 'fedsgd') {
    const batch = plan.batchSize !== undefined && plan.batchSize < rows.length ? rng.shuffle(Int32Array.from(rows)).slice(0, plan.batchSize) : rows;
    return { client, update: await meanGradient(net, data, batch), examples: batch.length };
  }
  localSgd(net, data, rows, plan, rng);
  const update = flatten(await net.getWeights());
  for (let i = 0; i < update.length; i++) update[i] -= global[i];
  return { client, update, examples: rows.length };
}

/** What a client behaviour knows: the round's global weights and its own data. */
export interface ClientContext {
  round: number;
  client: number;
  global: Float32Array;
  data: Dataset;
  rows: Int32Array;
  /** The behaviour's own stream for this round, apart from the honest training's. */
  rng: Rng;
}

/**
 * How a client answers a round. The loop calls it with the honest computation, which a
 * behaviour may run, change (a poisoning client scaling its update, local DP adding noise) or
 * skip; `null` sends nothing, which the server cannot tell from a dropout.
 */
export interface ClientBehaviour {
  readonly name: string;
  update(ctx: ClientContext, honest: () => Promise<ClientUpdate>): Promise<ClientUpdate | null>;
}

export const honestClient: ClientBehaviour = { name: 'honest', update: (_ctx, honest) => honest() };
