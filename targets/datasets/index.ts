import { Registry } from '../../core/registry.js';
import { csv } from './csv.js';
import { mnist } from './mnist.js';
import { synthetic } from './synthetic.js';
import type { DatasetDefinition } from './types.js';

export const datasets = new Registry<DatasetDefinition>('dataset', [synthetic, csv, mnist]);
