import type { BenchDefinition } from '../core/bench.js';
import { Registry } from '../core/registry.js';
import { dpSgdBench } from '../defenses/dp/bench.js';
import { aggregationBench } from '../defenses/robust/bench.js';
import { secaggBench } from '../defenses/secagg/bench.js';
import { federatedBench } from '../targets/federated/bench.js';
import { trainingBench } from '../targets/training/bench.js';
import { liraBench } from './lira-bench.js';

/** Microbenchmarks live beside the code they measure; this is their registry. */
export const benches = new Registry<BenchDefinition>('bench', [
  trainingBench,
  dpSgdBench,
  liraBench,
  secaggBench,
  federatedBench,
  aggregationBench,
] as BenchDefinition[]);
