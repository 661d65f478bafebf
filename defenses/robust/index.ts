import { InputError } from '../../core/errors.js';
import { validateOptions } from '../../core/options.js';
import { Registry } from '../../core/registry.js';
import type { Aggregator } from '../../targets/federated/aggregator.js';
import { weightedMean } from '../../targets/federated/weighted-mean.js';
import { fltrust } from './fltrust.js';
import { krum } from './krum.js';
import { mean } from './mean.js';
import { median } from './median.js';
import { multiKrum } from './multi-krum.js';
import { normBounded } from './norm-bounded.js';
import { trimmedMean } from './trimmed-mean.js';
import type { AggregatorDefinition, AggregatorSpec } from './types.js';

export const aggregators = new Registry<AggregatorDefinition>('aggregator', [
  mean,
  median,
  trimmedMean,
  krum,
  multiKrum,
  normBounded,
  fltrust,
] as AggregatorDefinition[]);

/**
 * The aggregator a spec describes, wrappers around their inner aggregator (the mean when not
 * given): `{ id: 'norm-bounded', options: { bound: 1 }, inner: { id: 'median' } }`. `field`
 * is where the spec sits in the suite, for error messages.
 */
export function buildAggregator(spec: AggregatorSpec, field = 'aggregator'): Aggregator {
  const def = aggregators.get(spec.id, `${field}.id`);
  if (def.kind === 'rule') {
    if (spec.inner) throw new InputError(`'${spec.id}' combines updates itself and wraps nothing; drop inner or wrap it in a wrapper such as norm-bounded`, { field: `${field}.inner` });
    return def.create(validateOptions(def.options, spec.options ?? {}, field), field);
  }
  const inner = spec.inner ? buildAggregator(spec.inner, `${field}.inner`) : weightedMean;
  return def.wrap(inner, validateOptions(def.options, spec.options ?? {}, field), field);
}
