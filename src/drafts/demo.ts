/**
 * The drafts part of `npm run demo` (sandbox only): draft a reply in a
 * thread, propose a meeting with attendees, then show from the sandbox's own
 * log that nobody was notified. The demo passes its `call` so the output looks
 * like the rest of the walk-through.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';

export type DemoCall = (title: string, name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** What the demo needs from the sandbox. */
export interface DemoSandboxView {
  readonly notifications: readonly unknown[];
  readonly requests: ReadonlyArray<{ method: string; rawPath: string }>;
}

/** `/v1.0/me/messages/AAMk…%2F…/createReply` → `/messages/{id}/createReply` (ids are encoded, so one segment each). */
function shortPath(rawPath: string): string {
  return rawPath
    .replace(/^\/v1\.0\/(me|users\/[^/]+)/, '')
    .split('/')
    .map((seg) => (seg.length >= 40 ? '{id}' : seg))
    .join('/');
}

/** Runs the draft steps; `threadMessageId` is a message to reply to (e.g. SEED_IDS.threadWithHistory). */
export async function runDraftDemo(call: DemoCall, out: (s: string) => void, sandbox: DemoSandboxView, threadMessageId: string, day: string): Promise<void> {
  const before = sandbox.requests.length;
  await call('Draft a reply-all in that thread (saved in Drafts, not sent)', 'ol_email_create_draft', {
    in_reply_to: threadMessageId,
    reply_all: true,
    body: 'Thanks all — **agreed** on the Phase 2 scope.\n\n- Workshop next week\n- Estimate by Friday',
  });
  await call('Propose a meeting: the attendees are noted on the event, not invited', 'ol_calendar_create_event_draft', {
    subject: 'Phase 2 kick-off',
    start: `${day}T10:00`,
    end: `${day}T11:00`,
    attendees: ['dana.lee@fabrikam.example', 'ops@fabrikam.example'],
    body: 'Agenda: scope, timeline, owners.',
    online_meeting: true,
  });
  await call("The profile's drafts", 'ol_email_list_drafts', {});
  const writes = sandbox.requests.slice(before).filter((r) => r.method !== 'GET');
  out(
    `\n=== Nobody was notified\nThe draft steps made ${writes.length} writes (${writes.map((w) => `${w.method} ${shortPath(w.rawPath)}`).join(', ')}); ` +
      `the sandbox recorded ${sandbox.notifications.length} notifications. The human opens the drafts in Outlook and presses Send.\n`,
  );
}
