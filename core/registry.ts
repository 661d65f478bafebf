import type { z } from 'zod';
import { InputError } from './errors.js';

/** What every plugin (dataset, model, attack, defense, bench) declares about itself. */
export interface PluginMeta {
  id: string;
  title: string;
  description: string;
}

/** A plugin whose options a suite sets; `options` validates them and fills defaults. */
export interface Configurable<O extends z.ZodObject = z.ZodObject> extends PluginMeta {
  options: O;
}

/**
 * A hand-written list of plugins of one kind, looked up by id. It refuses duplicate ids so
 * two files can never silently shadow each other (Opacus's accountant registry does the same).
 */
export class Registry<T extends PluginMeta> {
  private readonly byId = new Map<string, T>();
  constructor(
    readonly kind: string,
    items: readonly T[],
  ) {
    for (const item of items) {
      if (this.byId.has(item.id)) throw new Error(`duplicate ${kind} id '${item.id}'`);
      this.byId.set(item.id, item);
    }
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  list(): T[] {
    return [...this.byId.values()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The plugin with this id, or an InputError that lists the ids that exist. */
  get(id: string, field?: string): T {
    const item = this.byId.get(id);
    if (!item) {
      throw new InputError(`unknown ${this.kind} '${id}'; known: ${this.ids().join(', ') || '(none)'}`, { field });
    }
    return item;
  }
}
