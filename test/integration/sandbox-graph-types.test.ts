/**
 * Every sandbox response shape against Microsoft's v1.0 types (generated from
 * the CSDL; see test/helpers/graph-types.ts): no property v1.0 lacks, at any
 * depth. Reads are asked without $select so that every property the sandbox
 * can produce is produced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PEOPLE } from '../../src/sandbox/seed/index.js';
import { SANDBOX_GROUP_IDS } from '../../src/sandbox/groups.js';
import { unknownProperties } from '../helpers/graph-types.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ now: new Date('2026-12-01T09:00:00Z') });
});
afterAll(async () => {
  await sb.close();
});

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(path.startsWith('http') ? path : `${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json', prefer: 'outlook.timezone="W. Europe Standard Time"' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

const list = async (path: string) => (await call('GET', path)).value as Array<Record<string, unknown>>;
const VIEW = 'startDateTime=2026-11-30T00:00:00Z&endDateTime=2026-12-14T00:00:00Z&$top=100';

describe('sandbox responses have only v1.0 properties', () => {
  it('the checker itself catches a property v1.0 lacks (getSchedule scheduleItem.isMeeting is beta-only)', () => {
    expect(unknownProperties({ status: 'busy', isMeeting: true, start: { dateTime: 'x', timeZone: 'UTC', extra: 1 } }, 'ScheduleItem')).toEqual(['ScheduleItem.isMeeting (not in ScheduleItem)', 'ScheduleItem.start.extra (not in DateTimeTimeZone)']);
  });

  it('messages, folders, attachments, delta', async () => {
    const messages = await list('/me/messages?$top=50');
    expect(messages.length).toBeGreaterThan(5);
    const withAttachment = messages.find((m) => m.hasAttachments === true);
    const one = await call('GET', `/me/messages/${encodeURIComponent(String(withAttachment?.id))}?$expand=attachments`);
    const attachments = await list(`/me/messages/${encodeURIComponent(String(withAttachment?.id))}/attachments`);
    const folders = await list('/me/mailFolders?$top=100');
    const children = await list('/me/mailFolders/inbox/childFolders');
    const delta = await call('GET', '/me/mailFolders/inbox/messages/delta');
    expect([
      ...unknownProperties(messages, 'Message', 'messages'),
      ...unknownProperties(one, 'Message', 'message'),
      ...unknownProperties(attachments, 'Attachment', 'attachments'),
      ...unknownProperties(folders, 'MailFolder', 'mailFolders'),
      ...unknownProperties(children, 'MailFolder', 'childFolders'),
      ...unknownProperties(delta.value, 'Message', 'delta'),
    ]).toEqual([]);
  });

  it('events, calendars, free/busy', async () => {
    const view = await list(`/me/calendarView?${VIEW}`);
    expect(view.length).toBeGreaterThan(5);
    const event = await call('GET', `/me/events/${encodeURIComponent(String(view[0]?.id))}`);
    const events = await list('/me/events?$top=100');
    const calendars = await list('/me/calendars');
    const schedule = await call('POST', '/me/calendar/getSchedule', {
      schedules: [PEOPLE.avery.address, PEOPLE.anna.address, 'x@nowhere.example'],
      startTime: { dateTime: '2026-12-01T00:00:00', timeZone: 'UTC' },
      endTime: { dateTime: '2026-12-05T00:00:00', timeZone: 'UTC' },
    });
    expect([
      ...unknownProperties(view, 'Event', 'calendarView'),
      ...unknownProperties(event, 'Event', 'event'),
      ...unknownProperties(events, 'Event', 'events'),
      ...unknownProperties(calendars, 'Calendar', 'calendars'),
      ...unknownProperties(schedule.value, 'ScheduleInformation', 'getSchedule'),
    ]).toEqual([]);
  });

  it('user, mailbox settings, people, drafts and upload sessions', async () => {
    const me = await call('GET', '/me');
    const settings = await call('GET', '/me/mailboxSettings');
    const people = await list('/me/people?$search=%22anna%22');
    const draft = await call('POST', '/me/messages', { subject: 'shape check', toRecipients: [{ emailAddress: { address: 'dana@fabrikam.example' } }] });
    const session = await call('POST', `/me/messages/${encodeURIComponent(String(draft.id))}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'big.bin', size: 5_000_000 } });
    const event = await call('POST', '/me/events', { subject: 'shape check', start: { dateTime: '2026-12-02T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-02T11:00:00', timeZone: 'UTC' } });
    expect([
      ...unknownProperties(me, 'User', 'me'),
      ...unknownProperties(settings, 'MailboxSettings', 'mailboxSettings'),
      ...unknownProperties(people, 'Person', 'people'),
      ...unknownProperties(draft, 'Message', 'draft'),
      ...unknownProperties(session, 'UploadSession', 'uploadSession'),
      ...unknownProperties(event, 'Event', 'createdEvent'),
    ]).toEqual([]);
  });
  it('groups: directory lookup, conversations, threads, posts with attachments', async () => {
    const falcon = SANDBOX_GROUP_IDS.falcon;
    const found = await list(`/groups?$filter=${encodeURIComponent("mail eq 'project-falcon@contoso.example'")}`);
    expect(found.map((g) => g.id)).toEqual([falcon]);
    const group = await call('GET', `/groups/${falcon}`);
    const conversations = await list(`/groups/${falcon}/conversations`);
    const threads = await list(`/groups/${falcon}/threads`);
    expect(threads).toHaveLength(3);
    const thread = await call('GET', `/groups/${falcon}/threads/${encodeURIComponent(String(threads[1]?.id))}`);
    const posts = (await Promise.all(threads.map((t) => list(`/groups/${falcon}/threads/${encodeURIComponent(String(t.id))}/posts?$expand=attachments`)))).flat();
    expect(posts.some((p) => Array.isArray(p.attachments) && p.attachments.length === 1)).toBe(true);
    expect([
      ...unknownProperties(found, 'Group', 'groups'),
      ...unknownProperties(group, 'Group', 'group'),
      ...unknownProperties(conversations, 'Conversation', 'conversations'),
      ...unknownProperties(threads, 'ConversationThread', 'threads'),
      ...unknownProperties(thread, 'ConversationThread', 'thread'),
      ...unknownProperties(posts, 'Post', 'posts'),
    ]).toEqual([]);
  });
});
