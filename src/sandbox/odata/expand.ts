/** `$expand` with nested `$filter`/`$select`, e.g. `singleValueExtendedProperties($filter=id eq '…')`. */
import { GraphErrorResponse } from '../errors.js';
import { isCollection, isStructured, requireProperty, type StructuredType } from './edm.js';
import { compileFilter, type CompiledFilter } from './filter.js';
import { parseSelect } from './select.js';

export interface ExpandItem {
  /** Canonical navigation property name. */
  name: string;
  filter?: CompiledFilter;
  select?: string[];
}

/** Splits on a separator outside parentheses and quoted literals. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Parses `$expand` against an entity type. */
export function parseExpand(text: string | undefined, type: StructuredType): ExpandItem[] {
  if (text === undefined || text.trim() === '') return [];
  return splitTopLevel(text, ',').map((part) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/s.exec(part);
    if (!m) throw new GraphErrorResponse(400, 'BadRequest', `Syntax error at position 0 in '${part}'.`);
    const def = requireProperty(type, m[1] as string);
    if (!def.nav) {
      throw new GraphErrorResponse(400, 'BadRequest', `Property '${def.name}' on type '${type.typeName}' is not a navigation property or complex property. Only navigation properties can be expanded.`);
    }
    const item: ExpandItem = { name: def.name };
    const target = isCollection(def.type) ? def.type.collection : def.type;
    for (const opt of splitTopLevel(m[2] ?? '', ';')) {
      const eq = opt.indexOf('=');
      const key = opt.slice(0, eq).trim().toLowerCase();
      const value = opt.slice(eq + 1);
      if (eq < 0 || !isStructured(target)) throw new GraphErrorResponse(400, 'BadRequest', `Query option '${opt}' is not allowed in $expand of '${def.name}'.`);
      if (key === '$filter') item.filter = compileFilter(value, target);
      else if (key === '$select') item.select = parseSelect(value, target);
      else throw new GraphErrorResponse(400, 'BadRequest', `Query option '${opt.slice(0, Math.max(eq, 0))}' is not allowed in $expand of '${def.name}'.`);
    }
    return item;
  });
}
