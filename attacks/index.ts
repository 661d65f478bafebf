import { Registry } from '../core/registry.js';
import { multiRun } from './audit/multi-run.js';
import { oneRun } from './audit/one-run.js';
import { confidence } from './membership/confidence.js';
import { entropy } from './membership/entropy.js';
import { gap } from './membership/gap.js';
import { lira } from './membership/lira.js';
import { lossThreshold } from './membership/loss-threshold.js';
import { modifiedEntropy } from './membership/modified-entropy.js';
import { noiseRobustness } from './membership/noise-robustness.js';
import { population } from './membership/population.js';
import { rmia } from './membership/rmia.js';
import { shadow } from './membership/shadow.js';
import type { AttackDefinition } from './types.js';

export const attacks = new Registry<AttackDefinition>('attack', [
  lossThreshold,
  confidence,
  entropy,
  modifiedEntropy,
  population,
  shadow,
  lira,
  rmia,
  gap,
  noiseRobustness,
  oneRun,
  multiRun,
] as AttackDefinition[]);
