/**
 * One odd item never fails a whole list: `null`, numbers and strings in
 * `value`, items without an id, numbers or objects where strings belong.
 * Every list tool shows what it can and tells the agent how many it left out;
 * no "is not a function" or "Cannot read properties" reaches anyone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { graphError, json, startHostileHarness, type HostileHarness } from '../helpers/hostile-graph.js';
import { textOf } from '../helpers/harness.js';

let h: HostileHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const goodMsg = { id: 'AAMkAGood000000000000000000000000000000001', subject: 'Good one', receivedDateTime: '2026-12-01T10:00:00Z', from: { emailAddress: { name: 'Ann', address: 'ann@contoso.example' } }, isRead: false, bodyPreview: 'hello', conversationId: 'c1' };
// A message without receivedDateTime and with numbers/objects for strings is still shown; null, 7, 'str' and the one without an id are not items.
const oddMsgs = [null, 7, 'str', { id: 'AAMkAOdd10000000000000000000000000000000002', subject: 12, from: { emailAddress: { name: 5, address: ['x'] } }, bodyPreview: { a: 1 }, importance: 3 }, { subject: 'no id', receivedDateTime: '2026-12-01T09:00:00Z' }, goodMsg];
const goodEv = { id: 'AAMkAEvGood0000000000000000000000000000001', subject: 'Ev', start: { dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T11:00:00.0000000', timeZone: 'UTC' } };
const oddEvs = [null, 3, { subject: 'no id', start: goodEv.start, end: goodEv.end }, { id: 'AAMkAEvOdd00000000000000000000000000000002', subject: ['Ev'], start: 5, end: null, attendees: 'x', organizer: { emailAddress: { name: 1 } }, location: 7, categories: 'x', showAs: 4 }, goodEv];

const CRASH = /is not a function|Cannot read properties|is not iterable|Unexpected error|Output validation/;

describe('odd items in a list', () => {
  it.each([
    ['ol_email_list_unread', {}, /^GET \/v1\.0\/me\/mailFolders/, oddMsgs, 'messages'],
    ['ol_email_search', { query: 'x' }, /^GET \/v1\.0\/me\/(mailFolders|messages)/, oddMsgs, 'messages'],
    ['ol_email_whats_new', {}, /^GET \/v1\.0\/me\/mailFolders/, oddMsgs, 'messages'],
    ['ol_calendar_list_events', { from_date: '2026-12-01', to_date: '2026-12-02' }, /^GET \/v1\.0\/me\/calendar\/calendarView/, oddEvs, 'events'],
  ] as const)('%s shows the usable items and counts the rest', async (tool, args, route, value, key) => {
    h = await startHostileHarness();
    h.graph.on(route, (_req, res) => json(res, 200, { value, '@odata.deltaLink': `${h?.graph.url}/me/mailFolders/inbox/messages/delta?$deltatoken=1` }));
    const r = await h.call(tool, args);
    expect(textOf(r)).not.toMatch(CRASH);
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as Record<string, unknown>;
    const items = s[key] as Array<{ subject: string; received?: string; start?: string }>;
    // The good item and the oddly typed one; null, the number, the string and the id-less one are counted.
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.subject).sort()).toEqual(key === 'events' ? ['(no subject)', 'Ev'] : ['(no subject)', 'Good one']);
    expect(s.skipped).toBe(4 - (key === 'events' ? 1 : 0));
    expect(textOf(r)).toMatch(/could not be shown/);
  });

  it('a message without receivedDateTime is listed with "(no date)"', async () => {
    h = await startHostileHarness();
    h.graph.on(/^GET \/v1\.0\/me\/mailFolders/, (_req, res) => json(res, 200, { value: oddMsgs }));
    const r = await h.ok<{ messages: Array<{ received: string; subject: string }> }>('ol_email_list_unread', {});
    expect(r.messages.find((m) => m.subject === '(no subject)')?.received).toBe('(no date)');
  });

  it('calendar search, thread, people and folders survive wrong types', async () => {
    h = await startHostileHarness();
    h.graph.on(/^GET \/v1\.0\/me\/calendar\/calendarView/, (_req, res) => json(res, 200, { value: oddEvs }));
    h.graph.on(/^GET \/v1\.0\/me\/messages\/[^?/]+\?/, (_req, res) => json(res, 200, goodMsg));
    h.graph.on(/^GET \/v1\.0\/me\/messages\?/, (_req, res) => json(res, 200, { value: [...oddMsgs, { ...goodMsg, id: 'AAMkAGood000000000000000000000000000000003', uniqueBody: 5, attachments: 'x' }] }));
    h.graph.on(/^GET \/v1\.0\/me\/people/, (_req, res) => json(res, 200, { value: [null, 4, { displayName: 5, scoredEmailAddresses: 'x' }, { displayName: 'Ann', scoredEmailAddresses: [{ address: 'ann@contoso.example' }] }] }));
    h.graph.on(/^GET \/v1\.0\/me\/mailFolders\/[a-z]+\?/, (_req, res) => json(res, 200, { id: 'f1' }));
    h.graph.on(/^GET \/v1\.0\/me\/mailFolders/, (_req, res) => json(res, 200, { value: [null, 4, { displayName: 5 }, { id: 'f1', displayName: 'Inbox', unreadItemCount: 'x', totalItemCount: {} }] }));
    const search = await h.call('ol_calendar_search', { query: 'Ev', from_date: '2026-12-01', to_date: '2026-12-02' });
    const thread = await h.call('ol_email_read_thread', { id: goodMsg.id });
    const people = await h.call('ol_people_search', { query: 'ann' });
    const folders = await h.call('ol_email_list_folders', {});
    for (const r of [search, thread, people, folders]) {
      expect(textOf(r)).not.toMatch(CRASH);
      expect(r.isError).toBeFalsy();
    }
    expect((search.structuredContent as { skipped?: number }).skipped).toBe(3);
    expect((folders.structuredContent as { folders: Array<{ unread: number }> }).folders).toEqual([expect.objectContaining({ path: 'Inbox', unread: 0, total: 0 })]);
  });
});

describe('free time with odd free/busy entries', () => {
  it('a null schedule, a string for scheduleItems and an item with numbers for times do not fail the lookup', async () => {
    h = await startHostileHarness();
    h.graph.on(/^GET \/v1\.0\/me\?/, (_req, res) => json(res, 200, { mail: 'me@contoso.example' }));
    h.graph.on(/^POST \/v1\.0\/me\/calendar\/getSchedule/, (_req, res) =>
      json(res, 200, {
        value: [
          null,
          { scheduleId: 'me@contoso.example', scheduleItems: [null, { status: 7, start: 1, end: 2 }, { status: 'busy', subject: 9, start: { dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T11:00:00.0000000', timeZone: 'UTC' } }] },
          { scheduleId: 'ann@contoso.example', scheduleItems: 'busy' },
        ],
      }),
    );
    const r = await h.call('ol_calendar_find_free_time', { attendees: ['ann@contoso.example'], from_date: '2026-12-01', to_date: '2026-12-01', working_hours_only: false });
    expect(textOf(r)).not.toMatch(CRASH);
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { busy: Array<{ start: string }> }).busy).toEqual([expect.objectContaining({ who: 'me', start: '2026-12-01 10:00', end: '2026-12-01 11:00' })]);
  });
});

describe('ol_email_whats_new keeps its sync point when a page cannot be shown', () => {
  it('a failing page leaves the previous deltaLink in place; the next call asks for it again', async () => {
    h = await startHostileHarness();
    const g = h.graph;
    let failSecond = false;
    g.on(/^GET \/v1\.0\/me\/mailFolders\/inbox\/messages\/delta\?\$deltatoken=one$/, (_req, res) => json(res, 200, { value: [goodMsg], '@odata.nextLink': `${g.url}/me/mailFolders/inbox/messages/delta?$skiptoken=two` }));
    g.on(/\$skiptoken=two/, (_req, res) => (failSecond ? graphError(res, 500, 'InternalServerError') : json(res, 200, { value: [], '@odata.deltaLink': `${g.url}/me/mailFolders/inbox/messages/delta?$deltatoken=three` })));
    g.on(/^GET \/v1\.0\/me\/mailFolders\/inbox\/messages\/delta/, (_req, res) => json(res, 200, { value: [goodMsg], '@odata.deltaLink': `${g.url}/me/mailFolders/inbox/messages/delta?$deltatoken=one` }));
    await h.ok('ol_email_whats_new', {});
    failSecond = true;
    const failed = await h.call('ol_email_whats_new', {});
    expect(failed.isError).toBe(true);
    g.clearLog();
    failSecond = false;
    const again = await h.ok<{ mode: string; messages: unknown[] }>('ol_email_whats_new', {});
    expect(again.mode).toBe('changes');
    // The saved sync point is still "one": the page that failed is read again, not skipped.
    expect(g.requests.some((q) => q.url.endsWith('$deltatoken=one'))).toBe(true);
    expect(again.messages).toHaveLength(1);
  });
});
