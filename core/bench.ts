import { Bench } from 'tinybench';
import type { z } from 'zod';
import { median } from './stats.js';
import type { Configurable } from './registry.js';

/** One measured quantity of a microbenchmark, with the baseline it is compared to. */
export interface BenchMeasure {
  name: string;
  value: number;
  unit: string;
  /** Same quantity for the baseline measured in the same run (our plaintext path or a peer). */
  baseline?: { label: string; value: number };
  /** value / baseline.value, oriented so that > 1 means "slower/costlier than the baseline". */
  ratio?: number;
  note?: string;
}

export interface BenchResult {
  id: string;
  title: string;
  backend: string;
  measures: BenchMeasure[];
  /** Inputs that define the workload (shapes, batch, epochs). */
  workload: Record<string, unknown>;
}

export interface BenchContext {
  backend: string;
  /** Where the peer yardsticks live (e.g. ../shared/peers), if present. */
  peersDir?: string;
  log(line: string): void;
}

/** A microbenchmark lives beside the code it measures and registers like a plugin. */
export interface BenchDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  run(options: z.infer<O>, ctx: BenchContext): Promise<BenchResult>;
}

/**
 * Median ms of each task. The tasks take turns: `rounds` tinybench runs of `iterations` timed
 * calls each (after as many warm-up calls in the first), so a machine whose speed drifts under
 * other load slows every task alike instead of whichever ran last.
 */
export async function medians(tasks: Record<string, () => unknown>, iterations: number, rounds = 1): Promise<Record<string, number>> {
  const samples = new Map(Object.keys(tasks).map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: 0, iterations, warmup: round === 0, warmupTime: 0, warmupIterations: iterations, throws: true, retainSamples: true });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const [name, list] of samples) {
      const result = bench.getTask(name)?.result;
      if (result?.state !== 'completed') throw new Error(`bench task ${name} did not complete (${result?.state})`);
      list.push(...(result.latency.samples ?? []));
    }
  }
  return Object.fromEntries([...samples].map(([name, list]) => [name, median(list)]));
}
