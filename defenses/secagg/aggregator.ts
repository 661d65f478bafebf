/**
 * Secure aggregation as a federated aggregator: the inner aggregator's weighted sum runs as
 * Bonawitz et al. 2017 among the round's clients, so the server learns the sum and nothing
 * about any one update beyond it. Only aggregators computable from a sum can run this way.
 */
import { InputError } from '../../core/errors.js';
import type { Aggregator, Summation, WeightedSum } from '../../targets/federated/aggregator.js';
import type { Exchange } from '../../targets/federated/costs.js';
import { scaled } from '../../targets/federated/vectors.js';
import { totalCost, type Costs } from './costs.js';
import { parseOptions, type SecAggOptions } from './options.js';
import { ROUNDS } from './rounds.js';
import { secureAggregate, type SecureAggregateResult } from './secure-aggregate.js';

const sumOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/**
 * The protocol's four rounds as exchanges: the clients' uploads and, except after unmasking,
 * the server's replies (two trips); compute on the critical path is the slowest client plus the
 * server. `ids[k]` is the client the protocol calls k.
 */
export function protocolExchanges(costs: Costs, ids: readonly number[]): Exchange[] {
  return ROUNDS.map((round) => {
    const active = costs.clients.map((c, k) => [ids[k], c[round]] as const).filter(([, c]) => c.sentBytes + c.receivedBytes > 0);
    const server = costs.server[round];
    return {
      name: `secagg ${round}`,
      trips: server.messagesSent > 0 ? 2 : 1,
      clients: Object.fromEntries(active.map(([id, { sentBytes, receivedBytes, messagesSent }]) => [id, { sentBytes, receivedBytes, messagesSent }])),
      serverMessages: server.messagesSent,
      computeMs: Math.max(0, ...active.map(([, c]) => c.computeMs)) + server.computeMs,
    };
  });
}

/**
 * `inner` with its sum computed securely. FedAvg's weights enter as each client scaling its own
 * update by n_k / mean(n) before quantizing (so weights of any size fit the quantizer's clip);
 * the counts themselves go in the clear, as the participation record shows. A round with fewer
 * than two updates cannot hide anyone's and is aborted: nothing is included, the model stays.
 * The masks come from the round's rng: seeded runs are reproducible, not secret.
 */
export function secureAggregation(inner: Aggregator, options: SecAggOptions = {}): Aggregator {
  if (inner.needs !== 'sum') {
    throw new InputError(
      `secure aggregation shows the server only the sum of the updates, and '${inner.name}' needs each client's update; ` +
        'aggregate with mean (or norm-bounded around it) under secure aggregation, or turn secure aggregation off',
      { field: 'aggregator' },
    );
  }
  const parsed = parseOptions(options);
  return {
    name: `secagg(${parsed.graph}) > ${inner.name}`,
    needs: 'sum',
    serverSees: 'sum',
    aggregatesEmptyRounds: inner.aggregatesEmptyRounds,
    async aggregate(updates, ctx) {
      let result: SecureAggregateResult | undefined;
      let ids: number[] = [];
      const sum: Summation = {
        async weightedSum(us, weights): Promise<WeightedSum> {
          if (result) throw new Error(`'${inner.name}' summed twice in one round; secure aggregation runs once per round`);
          if (us.length < 2) return { sum: new Float64Array(ctx.dimension), weight: 0, included: [] };
          const unit = sumOf(weights) / us.length;
          ids = us.map((u) => u.client);
          result = await secureAggregate(
            us.map((u, k) => scaled(u.update, weights[k] / unit)),
            options,
            ctx.rng.fork('secagg'),
          );
          return {
            sum: Float64Array.from(result.sum, (v) => v * unit),
            weight: sumOf(result.survivors.map((k) => weights[k])),
            included: result.survivors.map((k) => us[k].client),
          };
        },
      };
      const out = await inner.aggregate(updates, { ...ctx, sum });
      if (!result) return out;
      const { costs, serverView } = result;
      const simulatedMs = sumOf([costs.server, ...costs.clients].map((p) => totalCost(p).computeMs));
      return { ...out, protocol: { view: serverView, exchanges: protocolExchanges(costs, ids), simulatedMs } };
    },
  };
}
