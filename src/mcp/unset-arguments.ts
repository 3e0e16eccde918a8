/**
 * What "not given" looks like on the wire. Strict function-calling clients
 * (OpenAI strict mode, and the MCP clients that convert tool schemas to it)
 * make every property required, so they send `null` for an optional field, or
 * an empty string where the field is a string. This module turns both back
 * into "absent", before zod sees the arguments, for every tool (the adapter
 * applies it to every input schema, so a tool added later gets it too):
 * - `null` for a field that may be left out (optional, or with a default),
 *   at any depth of objects and arrays of objects;
 * - `''` for an optional field that names an id, a cursor, a date or a time
 *   zone (by the field's name: `id`, `*_id`, `cursor`, `*_date`, `*_after`,
 *   `*_before`, `*_start`, `*_end`, `*zone`, `in_reply_to`, `forward_of`,
 *   `calendar`, `folder`), where an empty value can only mean "none". Other
 *   strings keep `''`: an empty subject or body is a real value.
 * A `null` or `''` in a required field is left alone, so it still gets its
 * argument error. The schemas the model sees are unchanged (no `null` added to
 * every type): docs/ARGUMENTS.md says why.
 */
import { z } from 'zod';

const EMPTY_MEANS_UNSET = /^(?:id|cursor|calendar|folder|in_reply_to|forward_of|.*_(?:id|date|after|before|start|end)|.*zone)$/;

/** True when `name` is a field whose empty string means "not given". */
export function emptyMeansUnset(name: string): boolean {
  return EMPTY_MEANS_UNSET.test(name);
}

/** Whether `field` accepts leaving it out (optional, or defaulted): asked of the schema itself, the one authority. */
function mayBeLeftOut(field: z.ZodType): boolean {
  try {
    return field.safeParse(undefined).success;
  } catch {
    // An async refinement cannot answer synchronously; such a field is treated as required (its null is refused).
    return false;
  }
}

/** The schema under optional/default/nullable wrappers. */
function unwrap(field: z.ZodType): z.ZodType {
  let s: z.ZodType = field;
  for (let i = 0; i < 8; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable || s instanceof z.ZodPrefault) s = s.unwrap() as z.ZodType;
    else break;
  }
  return s;
}

/**
 * `value` with every "not given" field (see the module comment) removed, for the object schema `schema`.
 * Returns the input itself when nothing changes; never mutates it.
 */
export function dropUnsetArguments(schema: z.ZodType, value: unknown): unknown {
  const s = unwrap(schema);
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    const element = s.element as z.ZodType;
    let changed = false;
    const out = value.map((v) => {
      const next = dropUnsetArguments(element, v);
      changed ||= next !== v;
      return next;
    });
    return changed ? out : value;
  }
  if (!(s instanceof z.ZodObject) || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const shape = s.shape as Record<string, z.ZodType>;
  let out: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // Own keys of the schema only: an unknown argument stays and gets the strict schema's error.
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!field) continue;
    const unset = mayBeLeftOut(field) && (v === null || (v === '' && emptyMeansUnset(key)));
    const next = unset ? undefined : dropUnsetArguments(field, v);
    if (!unset && next === v) continue;
    out ??= { ...(value as Record<string, unknown>) };
    if (unset) delete out[key];
    else out[key] = next;
  }
  return out ?? value;
}
