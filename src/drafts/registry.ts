/**
 * The profile's draft registry: which mail and event drafts this profile
 * created. It is one half of the ownership check; the other half is the tag
 * stored on the item in Graph (tag.ts). The records live in the profile's
 * state store (the {@link DraftRegistryPort} port), shared by every server of
 * the profile.
 */
import type { DraftRegistryPort } from '../state/ports.js';

export type { DraftKind, DraftRecord } from '../state/ports.js';

/** Per-profile registry of created drafts. */
export type DraftRegistry = DraftRegistryPort;
