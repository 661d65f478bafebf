import type { PluginMeta } from '../core/registry.js';
import { Registry } from '../core/registry.js';
import { accountants } from './dp/accountants/index.js';
import { aggregators } from './robust/index.js';

/**
 * What `list defenses` shows: the defenses a suite can configure, the accountants that state
 * DP's guarantee, and the federated aggregators. Each defense's options are validated where the
 * suite declares them (`dp:` by defenses/dp/config.ts, or dp-fedavg-config.ts in a federated
 * experiment).
 */
export const defenses = new Registry<PluginMeta>('defense', [
  {
    id: 'dp-sgd',
    title: 'DP-SGD (Abadi et al. 2016)',
    description: 'an experiment\'s `dp:` block: Poisson sampling, per-example clipping by ghost norms, Gaussian noise; epsilon from the accountant',
  },
  {
    id: 'dp-fedavg',
    title: 'DP-FedAvg (McMahan et al. 2018)',
    description:
      "a federated experiment's `dp:` block: user-level DP, each client's update clipped to S and Gaussian noise on the weight-1 sum (central) or on every update (local); epsilon from the accountant",
  },
  ...accountants.list().map((a) => ({ id: `accountant:${a.id}`, title: a.title, description: a.description })),
  {
    id: 'secure-aggregation',
    title: 'Secure aggregation (Bonawitz et al. 2017, SecAgg+)',
    description: '`federated.secureAggregation`: pairwise masks, Shamir-shared seeds, dropout recovery; the server sees only the sum',
  },
  ...aggregators.list().map((a) => ({ id: `aggregator:${a.id}`, title: a.title, description: `\`federated.aggregator\`: ${a.description}` })),
]);
