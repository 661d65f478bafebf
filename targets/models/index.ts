import { Registry } from '../../core/registry.js';
import { cnn } from './cnn.js';
import { logistic } from './logistic.js';
import { mlp } from './mlp.js';
import type { ModelDefinition } from './types.js';

export const models = new Registry<ModelDefinition>('model', [logistic, mlp, cnn] as ModelDefinition[]);
