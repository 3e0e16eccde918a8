/** `$orderby` parsing, sorting, and Exchange's rule for combining it with `$filter`. */
import { GraphErrorResponse } from '../errors.js';
import { parseInstant } from '../time.js';
import { getPath, resolvePath, type StructuredType } from './edm.js';
import type { PathReader } from './filter.js';

export interface OrderKey {
  /** Canonical path segments. */
  path: string[];
  /** Canonical path joined with `/`, as `CompiledFilter.properties` spells it. */
  key: string;
  desc: boolean;
  time: boolean;
}

/** Parses `$orderby=a desc, b/c` against an entity type. */
export function parseOrderBy(text: string, type: StructuredType): OrderKey[] {
  const parts = text.split(',').map((p) => p.trim());
  return parts.map((part) => {
    const m = /^([A-Za-z_][A-Za-z0-9_/]*)(?:\s+(asc|desc))?$/i.exec(part);
    if (!m) throw new GraphErrorResponse(400, 'BadRequest', `Syntax error at position ${text.indexOf(part)} in '${text}'.`);
    const r = resolvePath(type, (m[1] as string).split('/'));
    return { path: r.path, key: r.path.join('/'), desc: (m[2] ?? '').toLowerCase() === 'desc', time: r.type === 'datetime' || r.type === 'localDateTime' };
  });
}

type SortValue = number | string | boolean | null;

function sortValue(v: unknown, time: boolean): SortValue {
  if (v === null || v === undefined) return null;
  if (time && typeof v === 'string') return parseInstant(v) ?? null;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}

function compareValues(x: SortValue, y: SortValue, desc: boolean): number {
  if (x === y) return 0;
  let c: number;
  if (x === null) c = -1;
  else if (y === null) c = 1;
  else c = x < y ? -1 : 1;
  return desc ? -c : c;
}

/**
 * A sorted copy: nulls first ascending, as Exchange does; ties keep input
 * order. Each item's keys are read once, not per comparison.
 */
export function sortItems<T>(items: readonly T[], keys: readonly OrderKey[], read: PathReader = getPath): T[] {
  const decorated = items.map((item) => ({ item, values: keys.map((k) => sortValue(read(item, k.path), k.time)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(a.values[i] as SortValue, b.values[i] as SortValue, (keys[i] as OrderKey).desc);
      if (c !== 0) return c;
    }
    return 0;
  });
  return decorated.map((d) => d.item);
}

/**
 * Exchange can only sort a restricted message set by properties it restricts
 * on first: each `$orderby` property must appear in `$filter`, leading it, in
 * the same order (docs/GRAPH-NOTES.md §3).
 */
export function checkSortableFilter(keys: readonly OrderKey[], filterProperties: readonly string[]): void {
  keys.forEach((k, i) => {
    if (filterProperties[i] !== k.key) {
      throw new GraphErrorResponse(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');
    }
  });
}
