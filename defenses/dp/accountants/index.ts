import { Registry } from '../../../core/registry.js';
import { prvAccountant } from './prv.js';
import { rdpAccountant } from './rdp.js';
import type { AccountantDefinition } from './types.js';

export const accountants = new Registry<AccountantDefinition>('accountant', [rdpAccountant, prvAccountant] as AccountantDefinition[]);
