import type { BenchDefinition } from '../core/bench.js';
import { Registry } from '../core/registry.js';
import { aggregationBench } from '../defenses/robust/bench.js';
import { secaggBench } from '../defenses/secagg/bench.js';
import { federatedBench } from '../targets/federated/bench.js';
import { trainingBench } from '../targets/training/bench.js';
import { liraBench } from './lira-bench.js';

/** Microbenchmarks live beside the code they measure; this is their registry. */
export const benches = new Registry<BenchDefinition>('bench', [trainingBench, liraBench, secaggBench, federatedBench, aggregationBench] as BenchDefinition[]);
