/** This profile's pending drafts, as `ol_status` shows them (pure; the registry is read by the caller). */
import type { DraftRecord } from './registry.js';
import { cleanOptional, cleanUntrusted } from '../text/untrusted.js';

export interface PendingDraft {
  kind: 'mail' | 'event';
  subject: string;
  /** Human-readable age, e.g. "3 h", "2 d". */
  age: string;
  web_link?: string;
}

/** "12 min", "3 h", "2 d" from milliseconds. */
export function formatAge(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h` : `${Math.floor(h / 24)} d`;
}

/** Registry records as status lines, newest first, at most `limit`. */
export function pendingDrafts(records: readonly DraftRecord[], now: Date, limit = 20): PendingDraft[] {
  return [...records]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, limit)
    .map((r) => {
      // Subjects and links in the registry came from Graph: cleaned like every untrusted string.
      const p: PendingDraft = { kind: r.kind, subject: cleanUntrusted(r.subject, 'subject') || '(no subject)', age: formatAge(now.getTime() - Date.parse(r.createdAt)) };
      const link = cleanOptional(r.webLink, 'url');
      if (link) p.web_link = link;
      return p;
    });
}
