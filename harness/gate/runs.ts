import { InputError } from '../../core/errors.js';
import type { Results } from '../../core/results.js';
import { experimentMetrics } from './metrics.js';

/**
 * All runs of one experiment: a multi-seed results.json repeats an experiment id once per seed.
 * Gates compare seed means, never single runs, so one unlucky seed cannot flip a gate
 * (lhci issue #216: regression gates on single runs are flaky).
 */
export interface ExperimentRuns {
  id: string;
  name: string;
  /** Flattened metrics per seed. */
  bySeed: Map<number, Record<string, number>>;
}

/** Groups experiments by id, in first-seen order; one id twice with the same seed is refused. */
export function experimentRuns(results: Results, what: string): ExperimentRuns[] {
  const byId = new Map<string, ExperimentRuns>();
  for (const e of results.experiments) {
    const runs = byId.get(e.id) ?? { id: e.id, name: e.name, bySeed: new Map() };
    if (runs.bySeed.has(e.seed)) {
      throw new InputError(`${what} holds experiment '${e.id}' twice with seed ${e.seed}; each seed may run once`);
    }
    runs.bySeed.set(e.seed, experimentMetrics(e));
    byId.set(e.id, runs);
  }
  return [...byId.values()];
}

/** The seeds among `seeds` whose run has `metric`. */
export function seedsWith(runs: ExperimentRuns, metric: string, seeds: Iterable<number> = runs.bySeed.keys()): number[] {
  return [...seeds].filter((s) => runs.bySeed.get(s)?.[metric] !== undefined).sort((a, b) => a - b);
}

/** Mean of `metric` over `seeds`, each of which must have it (see seedsWith). */
export function meanOver(runs: ExperimentRuns, metric: string, seeds: number[]): number {
  return seeds.reduce((sum, s) => sum + runs.bySeed.get(s)![metric], 0) / seeds.length;
}
