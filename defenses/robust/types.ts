import type { z } from 'zod';
import type { Configurable } from '../../core/registry.js';
import type { Aggregator } from '../../targets/federated/aggregator.js';

/**
 * An aggregation rule that combines the updates itself (median, Krum). `field` is where its
 * options sit in the suite, for errors found only when a round's number of updates is known.
 */
export interface RuleDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  kind: 'rule';
  create(options: z.infer<O>, field: string): Aggregator;
}

/** A wrapper that transforms the updates on their way into an inner aggregator (norm bounding). */
export interface WrapperDefinition<O extends z.ZodObject = z.ZodObject> extends Configurable<O> {
  kind: 'wrapper';
  wrap(inner: Aggregator, options: z.infer<O>, field: string): Aggregator;
}

export type AggregatorDefinition = RuleDefinition | WrapperDefinition;

/** An aggregator as a suite writes it; a wrapper's `inner` defaults to the plain mean. */
export interface AggregatorSpec {
  id: string;
  options?: Record<string, unknown>;
  inner?: AggregatorSpec;
}
