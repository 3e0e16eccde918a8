/** `$select` parsing and projection of wire-shaped items. */
import { requireProperty, type StructuredType } from './edm.js';

/** Canonical names of the selected structural properties, or undefined for the default set. */
export function parseSelect(text: string | undefined, type: StructuredType): string[] | undefined {
  if (text === undefined || text.trim() === '' || text.trim() === '*') return undefined;
  const names: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    // A type-cast form such as `microsoft.graph.fileAttachment/contentBytes` names the last segment.
    const def = requireProperty(type, name.includes('/') ? (name.split('/').pop() as string) : name);
    if (!def.nav && !names.includes(def.name)) names.push(def.name);
  }
  return names;
}

/** Property getters for one resource, in the order Graph writes them. */
export type Getters<T, C> = Readonly<Record<string, (item: T, ctx: C) => unknown>>;

/**
 * Builds the output object: the `always` names first (Graph always returns
 * `@odata.etag` and `id` on Outlook items), then either the defaults or the
 * selected names, in declaration order. Undefined values are omitted.
 */
export function shape<T, C>(item: T, ctx: C, getters: Getters<T, C>, always: readonly string[], names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of always) {
    const g = getters[n];
    if (g) {
      const v = g(item, ctx);
      if (v !== undefined) out[n] = v;
    }
  }
  for (const n of names) {
    if (n in out) continue;
    const g = getters[n];
    if (!g) continue;
    const v = g(item, ctx);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** Orders selected names as the getter table declares them. */
export function inDeclarationOrder<T, C>(getters: Getters<T, C>, selected: readonly string[]): string[] {
  const set = new Set(selected);
  return Object.keys(getters).filter((k) => set.has(k));
}
