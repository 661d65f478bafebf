import { Registry } from '../core/registry.js';
import { lossThreshold } from './membership/loss-threshold.js';
import type { AttackDefinition } from './types.js';

export const attacks = new Registry<AttackDefinition>('attack', [lossThreshold] as AttackDefinition[]);
