/** This profile's pending drafts, as `ol_status` shows them (pure; the registry is read by the caller). */
import type { DraftRecord } from './registry.js';

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
      const p: PendingDraft = { kind: r.kind, subject: r.subject || '(no subject)', age: formatAge(now.getTime() - Date.parse(r.createdAt)) };
      if (r.webLink) p.web_link = r.webLink;
      return p;
    });
}
