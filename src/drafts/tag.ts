/**
 * The tag every item we create carries in Graph: a named single-value
 * extended property in our own GUID namespace (docs/GRAPH-NOTES.md §6), value
 * `<profile>:<creationId>`. It proves ownership on the server copy and lets a
 * lost registry be rebuilt.
 */
import { randomUUID } from 'node:crypto';
import { odataString } from '../graph/query/odata.js';

/** Our property-set GUID (random, fixed forever: changing it orphans every existing draft). */
export const DRAFT_PROPERTY_SET = 'd3b1c6f2-6a0e-4f4b-9a57-2f6c1e8b7d41';

/** `String {GUID} Name draftOrigin`. */
export const DRAFT_ORIGIN_PROPERTY = `String {${DRAFT_PROPERTY_SET}} Name draftOrigin`;

/** The profile alone, so a profile's drafts can be listed with Graph's exact-value filter. */
export const DRAFT_PROFILE_PROPERTY = `String {${DRAFT_PROPERTY_SET}} Name draftProfile`;

/** Where an event draft keeps its proposed attendees (JSON array of addresses). */
export const PROPOSED_ATTENDEES_PROPERTY = `String {${DRAFT_PROPERTY_SET}} Name proposedAttendees`;

/** A fresh creation id. */
export function newCreationId(): string {
  return randomUUID();
}

/** The tag value for a profile and creation id. */
export function tagValue(profile: string, creationId: string): string {
  return `${profile}:${creationId}`;
}

/** Splits a tag value; undefined when it is not ours in shape. */
export function parseTagValue(value: string): { profile: string; creationId: string } | undefined {
  const i = value.lastIndexOf(':');
  if (i <= 0 || i === value.length - 1) return undefined;
  return { profile: value.slice(0, i), creationId: value.slice(i + 1) };
}

/** The extended-property entry for a create/PATCH body. */
export function tagProperty(profile: string, creationId: string): { id: string; value: string } {
  return { id: DRAFT_ORIGIN_PROPERTY, value: tagValue(profile, creationId) };
}

/** Both tag properties for a create/PATCH body. */
export function tagProperties(profile: string, creationId: string): Array<{ id: string; value: string }> {
  return [tagProperty(profile, creationId), { id: DRAFT_PROFILE_PROPERTY, value: profile }];
}

/** `$filter` for every item tagged by `profile`. */
export function profileFilter(profile: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(DRAFT_PROFILE_PROPERTY)} and ep/value eq ${odataString(profile)})`;
}

/** `$expand` that returns our tag (and the proposed attendees) with an item. */
export function tagExpand(): string {
  return `singleValueExtendedProperties($filter=id eq ${odataString(DRAFT_ORIGIN_PROPERTY)} or id eq ${odataString(PROPOSED_ATTENDEES_PROPERTY)})`;
}

/** `$filter` for items carrying exactly this tag value. */
export function tagFilter(value: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(DRAFT_ORIGIN_PROPERTY)} and ep/value eq ${odataString(value)})`;
}

/** `$filter` for items carrying our tag with any value. */
export function anyTagFilter(): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(DRAFT_ORIGIN_PROPERTY)})`;
}

/** Reads a property's value from an item's expanded extended properties. */
export function propertyValue(item: { singleValueExtendedProperties?: ReadonlyArray<{ id?: string; value?: string }> }, id: string): string | undefined {
  return item.singleValueExtendedProperties?.find((p) => p.id?.toLowerCase() === id.toLowerCase())?.value;
}
