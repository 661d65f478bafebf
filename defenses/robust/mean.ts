import { z } from 'zod';
import { weightedMean } from '../../targets/federated/weighted-mean.js';
import type { RuleDefinition } from './types.js';

const options = z.object({}).strict();

/** FedAvg's own example-weighted mean, registered so suites can name it and wrappers can wrap it. */
export const mean: RuleDefinition<typeof options> = {
  kind: 'rule',
  id: 'mean',
  title: 'Weighted mean (FedAvg)',
  description: 'The mean of the updates weighted by example counts (McMahan et al. 2017); no robustness, runs under secure aggregation.',
  options,
  create: () => weightedMean,
};
