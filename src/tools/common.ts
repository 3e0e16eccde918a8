/** Schema pieces and argument parsing shared by several tools. */
import { UserFacingError } from '../errors.js';
import { z } from 'zod';
import { parseUserDate } from '../text/dates.js';

/** An id argument; a hint is added only where the name alone does not say where the id comes from. */
export const idArg = (hint?: string) => (hint ? z.string().min(1).max(1024).describe(hint) : z.string().min(1).max(1024));
export const cursorArg = z.string().min(1).max(8192).optional().describe('the last next_cursor');
export const limitArg = (max: number, def: number) => z.number().int().min(1).max(max).default(def);
export const dateArg = (what?: string) => z.string().min(1).max(40).describe(what ? `${what}; YYYY-MM-DD or ISO` : 'YYYY-MM-DD or ISO');
export const maxCharsArg = z.number().int().min(200).max(100_000).default(6_000).describe('body characters to return');

/** Parses an optional date argument in the user's zone; `end` makes a bare date inclusive of that whole day. */
export function optionalDate(value: string | undefined, field: string, zone: string, end = false): Date | undefined {
  return value === undefined ? undefined : parseUserDate(value, { zone, field, endOfDay: end });
}

/** A date window argument problem (order, size); the message says how to fix it. */
export class WindowError extends UserFacingError {
  override name = 'WindowError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_window', message, options);
  }
}

/** Longest calendar window one call may scan. */
export const MAX_WINDOW_DAYS = 366;

/** Checks that a window is ordered and not longer than MAX_WINDOW_DAYS. */
export function checkWindow(from: Date, to: Date, fromField: string, toField: string): void {
  if (to.getTime() <= from.getTime()) throw new WindowError(`${toField} must be after ${fromField}.`);
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
    throw new WindowError(`The window from ${fromField} to ${toField} is longer than ${MAX_WINDOW_DAYS} days; split it into smaller windows.`);
  }
}
