import type { z } from 'zod';
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
