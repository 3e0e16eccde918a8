/**
 * A small slice of OData's type system: enough to validate `$select`,
 * `$filter`, `$orderby` and `$expand` against Graph's entity types and to give
 * the errors Graph gives for names it does not know.
 */
import { unknownProperty } from '../errors.js';

/** Scalar kinds; `localDateTime` is a `dateTimeTimeZone.dateTime` string (wall-clock time, no offset). */
export type ScalarKind = 'string' | 'boolean' | 'datetime' | 'localDateTime' | 'int' | 'enum';

export interface CollectionType {
  collection: TypeRef;
}

export interface StructuredType {
  /** Qualified name as Graph writes it in errors, e.g. `microsoft.graph.message`. */
  typeName: string;
  /** Keyed by lower-cased name (Graph resolves property names case-insensitively). */
  properties: Readonly<Record<string, PropertyDef>>;
}

export type TypeRef = ScalarKind | CollectionType | StructuredType;

export interface PropertyDef {
  /** Canonical spelling. */
  name: string;
  type: TypeRef;
  /** Navigation properties can be expanded but not returned by `$select` alone. */
  nav?: boolean;
}

/** Builds a structured type from `[name, type, nav?]` rows, keeping declaration order. */
export function structured(typeName: string, rows: ReadonlyArray<readonly [string, TypeRef, 'nav'?]>): StructuredType {
  const properties: Record<string, PropertyDef> = {};
  for (const [name, type, nav] of rows) properties[name.toLowerCase()] = nav ? { name, type, nav: true } : { name, type };
  return { typeName, properties };
}

/** `Collection(type)`. */
export function collectionOf(type: TypeRef): CollectionType {
  return { collection: type };
}

/** True for `Collection(...)` types. */
export function isCollection(t: TypeRef): t is CollectionType {
  return typeof t === 'object' && 'collection' in t;
}

/** True for entity and complex types. */
export function isStructured(t: TypeRef): t is StructuredType {
  return typeof t === 'object' && 'properties' in t;
}

/** Finds a property by case-insensitive name; throws Graph's `RequestBroker--ParseUri` error if absent. */
export function requireProperty(type: StructuredType, name: string): PropertyDef {
  const def = type.properties[name.toLowerCase()];
  if (!def) throw unknownProperty(name, type.typeName);
  return def;
}

export interface ResolvedPath {
  /** Canonical segment names. */
  path: string[];
  type: TypeRef;
}

/** Resolves `a/b/c` from a structured type, canonicalising each segment. */
export function resolvePath(type: StructuredType, segments: readonly string[]): ResolvedPath {
  let current: TypeRef = type;
  const path: string[] = [];
  for (const seg of segments) {
    if (!isStructured(current)) throw unknownProperty(seg, typeNameOf(current));
    const def = requireProperty(current, seg);
    path.push(def.name);
    current = def.type;
  }
  return { path, type: current };
}

/** Reads a canonical path from a wire-shaped object. */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Graph's spelling of a type in messages (`Edm.String`, `Collection(...)`, `microsoft.graph.x`). */
export function typeNameOf(t: TypeRef): string {
  if (isCollection(t)) return `Collection(${typeNameOf(t.collection)})`;
  if (isStructured(t)) return t.typeName;
  switch (t) {
    case 'string':
    case 'enum':
    case 'localDateTime':
      return 'Edm.String';
    case 'boolean':
      return 'Edm.Boolean';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'int':
      return 'Edm.Int32';
  }
}
