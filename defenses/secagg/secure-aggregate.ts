import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { CostLedger, Costs } from './costs.js';
import { dropoutSchedule, neighbourhoods, parseOptions, planSecAgg, type SecAggOptions, type SecAggPlan } from './options.js';
import { runSecureAggregation, type ProtocolResult } from './protocol.js';
import { Quantizer } from './quantize.js';
import type { Transport } from './transport.js';

export interface SecureAggregateResult {
  /** Sum of the survivors' clipped updates, within `errorBound` per coordinate. */
  sum: Float32Array;
  /** Clients whose updates are in the sum (U3), ascending. */
  survivors: number[];
  costs: Costs;
  /** Everything the server saw and derived: the masked vectors, its transcript, the unmasked sum. */
  serverView: ProtocolResult['serverView'];
  plan: SecAggPlan;
  /** Largest |sum - sum of the survivors' clipped updates| per coordinate (Quantizer.sumErrorBound). */
  errorBound: number;
}

/**
 * Federated-learning secure aggregation: each client quantizes its float update into Z_2^32
 * (quantize.ts), the clients and the server run Bonawitz et al. 2017 (protocol.ts) on the
 * complete graph or the SecAgg+ graph, and the server turns the unmasked integer sum back into
 * floats. Randomness comes from `rng`: Rng.secure() in real runs, a seeded Rng for reproducible
 * tests. Bad options, or too few clients left to finish, are InputErrors.
 */
export async function secureAggregate(
  updates: readonly Float32Array[],
  options: SecAggOptions,
  rng: Rng,
  transport?: (ledger: CostLedger) => Transport,
): Promise<SecureAggregateResult> {
  const parsed = parseOptions(options);
  const plan = planSecAgg(parsed, updates.length);
  const length = updates[0].length;
  if (length === 0) throw new InputError('updates have no coordinates', { field: 'updates' });
  const bad = updates.findIndex((u) => u.length !== length);
  if (bad >= 0) throw new InputError(`update ${bad} has ${updates[bad].length} coordinates and update 0 has ${length}; all must match`, { field: `updates[${bad}]` });
  const quantizer = new Quantizer(plan.quantizer);
  const result = await runSecureAggregation({
    inputs: updates.map((update, u) => () => quantizer.quantize(update, rng.fork(`quantize/${u}`))),
    params: { threshold: plan.threshold, neighbours: neighbourhoods(plan, rng.fork('graph')), length },
    rng: rng.fork('protocol'),
    dropout: dropoutSchedule(parsed.dropout, plan.n, rng.fork('dropout')),
    transport,
  });
  const start = performance.now();
  const sum = quantizer.dequantize(result.sum, result.survivors.length);
  // Dequantizing is the server's last step of the unmasking round.
  result.costs.server.unmasking.computeMs += performance.now() - start;
  return {
    sum,
    survivors: result.survivors,
    costs: result.costs,
    serverView: result.serverView,
    plan,
    errorBound: quantizer.sumErrorBound(result.survivors.length),
  };
}
