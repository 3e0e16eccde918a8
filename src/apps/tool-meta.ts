/**
 * The `_meta` a tool carries to link the review card, and what makes a tool
 * app-only. Kept apart from the card contract: this file is server-side.
 */
import { REVIEW_CARD_URI } from './card-contract.js';

/** `_meta` of a model-visible tool whose result the host shows in the review card. */
export const SHOWS_REVIEW_CARD: Readonly<Record<string, unknown>> = Object.freeze({ ui: Object.freeze({ resourceUri: REVIEW_CARD_URI }) });

/** `_meta` of a tool only the card may call (hosts hide it from the model and refuse the model's calls). */
export const CARD_ONLY: Readonly<Record<string, unknown>> = Object.freeze({ ui: Object.freeze({ resourceUri: REVIEW_CARD_URI, visibility: Object.freeze(['app']) }) });

/** True for a tool whose `_meta.ui.visibility` is exactly ["app"]. */
export function isAppOnly(meta: Readonly<Record<string, unknown>> | undefined): boolean {
  const visibility = (meta?.ui as { visibility?: unknown } | undefined)?.visibility;
  return Array.isArray(visibility) && visibility.length > 0 && visibility.every((v) => v === 'app');
}
