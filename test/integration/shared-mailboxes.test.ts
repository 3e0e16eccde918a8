/**
 * Other people's mailboxes (issue 20) through the tools, against the sandbox's shared mailbox (Full Access),
 * delegator (calendar only) and refused mailbox: the opt-in, the allow-list, requests under /users/{upn},
 * handles/cursors/drafts bound to their mailbox, and 403s that name the mailbox. Every promise is asserted
 * from the sandbox's request log. Runs in both eras and paged one item at a time (vitest.config.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';

const SUPPORT = 'support@contoso.example';
const DELEGATOR = 'morgan.delegator@contoso.example';
const REFUSED = 'riley.private@contoso.example';

interface Messages {
  messages: Array<{ id: string; subject: string }>;
  next_cursor?: string;
}

const MAIL_AND_CALENDAR_TOOLS = [
  'ol_email_search',
  'ol_email_list_unread',
  'ol_email_whats_new',
  'ol_email_read',
  'ol_email_read_thread',
  'ol_email_get_attachment',
  'ol_email_read_attachment',
  'ol_email_list_folders',
  'ol_calendar_list_events',
  'ol_calendar_search',
  'ol_calendar_get_event',
  'ol_calendar_find_free_time',
];

describe('without OUTLOOK_ALLOW_SHARED_MAILBOXES', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTLOOK_ALLOW_DRAFTS: 'true' } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.sandbox.clearLog());

  it('has no mailbox argument in any schema', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.filter((t) => 'mailbox' in ((t.inputSchema.properties ?? {}) as object)).map((t) => t.name)).toEqual([]);
  });

  it('refuses a mailbox argument before any request, naming the setting', async () => {
    for (const name of ['ol_email_list_unread', 'ol_calendar_list_events', 'ol_email_create_draft']) {
      const text = await h.fail(name, { mailbox: SUPPORT });
      expect(text).toContain('OUTLOOK_ALLOW_SHARED_MAILBOXES=true');
    }
    expect(h.sandbox.requests).toEqual([]);
  });
});

describe('with OUTLOOK_ALLOW_SHARED_MAILBOXES=true', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_ALLOW_DRAFTS: 'true' } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.sandbox.clearLog());

  it('adds mailbox to every tool that reads mail or calendars, and to the draft tools', async () => {
    const { tools } = await h.client.listTools();
    const withArg = new Set(tools.filter((t) => 'mailbox' in ((t.inputSchema.properties ?? {}) as object)).map((t) => t.name));
    for (const name of [...MAIL_AND_CALENDAR_TOOLS, 'ol_email_create_draft', 'ol_email_list_drafts']) expect(withArg.has(name), name).toBe(true);
    for (const name of ['ol_status', 'ol_people_search']) expect(withArg.has(name), name).toBe(false);
  });

  it('reads a shared mailbox under /users/{upn}, and only there', async () => {
    const list = await h.ok<Messages>('ol_email_list_unread', { mailbox: 'Support@Contoso.example', limit: 50 });
    expect(list.messages.map((m) => m.subject)).toContain('Only for Contoso Support: mailbox support');
    expect(h.sandbox.requests.length).toBeGreaterThan(0);
    for (const r of h.sandbox.requests) {
      expect(r.path.toLowerCase().startsWith(`/v1.0/users/${SUPPORT}/`)).toBe(true);
      expect(r.mailbox).toBe(SUPPORT);
    }
    // The default mailbox does not have that message.
    h.sandbox.clearLog();
    const own = await h.ok<Messages>('ol_email_list_unread', { limit: 50 });
    expect(own.messages.map((m) => m.subject)).not.toContain('Only for Contoso Support: mailbox support');
    for (const r of h.sandbox.requests) expect(r.path.startsWith('/v1.0/me/')).toBe(true);
  });

  it('binds handles to their mailbox: a shared mailbox handle is unknown to the own mailbox, and the reverse', async () => {
    const shared = await h.ok<Messages>('ol_email_search', { mailbox: SUPPORT, query: 'Only for Contoso Support' });
    const id = shared.messages[0]?.id as string;
    expect(id).toBeTruthy();
    const read = await h.ok<{ subject: string }>('ol_email_read', { mailbox: SUPPORT, id });
    expect(read.subject).toBe('Only for Contoso Support: mailbox support');
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_read', { id })).toMatch(/not a message id known/);
    expect(h.sandbox.requests).toEqual([]);
    const own = await h.ok<Messages>('ol_email_list_unread', { limit: 1 });
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_read', { mailbox: SUPPORT, id: own.messages[0]?.id as string })).toMatch(/not a message id known/);
    expect(h.sandbox.requests).toEqual([]);
  });

  it('refuses a cursor from one mailbox for another, before any request', async () => {
    const page = await h.ok<Messages>('ol_email_list_unread', { mailbox: SUPPORT, limit: 1 });
    expect(page.next_cursor).toBeTruthy();
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_list_unread', { limit: 1, cursor: page.next_cursor as string })).toMatch(/another mailbox/);
    expect(h.sandbox.requests).toEqual([]);
    const next = await h.ok<Messages>('ol_email_list_unread', { mailbox: SUPPORT, limit: 1, cursor: page.next_cursor as string });
    expect(next.messages).toHaveLength(1);
  });

  it("reads a delegator's calendar, and a refused mail read names the mailbox and the access missing", async () => {
    const events = await h.ok<{ events: unknown[] }>('ol_calendar_list_events', { mailbox: DELEGATOR, from_date: '2020-01-01', to_date: '2020-12-31' });
    expect(Array.isArray(events.events)).toBe(true);
    for (const r of h.sandbox.requests) expect(r.path.toLowerCase().startsWith(`/v1.0/users/${DELEGATOR}/`)).toBe(true);
    const text = await h.fail('ol_email_list_unread', { mailbox: DELEGATOR });
    expect(text).toContain(`Access to the mailbox ${DELEGATOR} was refused (403 ErrorAccessDenied)`);
    expect(text).toContain('Full Access');
    expect(text).toContain('Mail.Read.Shared');
  });

  it('explains a mailbox with no access at all', async () => {
    const text = await h.fail('ol_email_search', { mailbox: REFUSED, query: 'invoice' });
    expect(text).toContain(`Access to the mailbox ${REFUSED} was refused`);
    expect(text).toContain('delegate');
    expect(h.sandbox.requests.every((r) => r.status === 403)).toBe(true);
  });

  it('refuses an address that is not one before any request', async () => {
    for (const bad of ['../me/sendMail', 'support@contoso.example/../../me', 'a b@contoso.example', 'support@contoso.example\u200b']) {
      expect(await h.fail('ol_email_list_unread', { mailbox: bad })).toContain('mailbox:');
    }
    expect(h.sandbox.requests).toEqual([]);
  });

  it("makes a draft in the shared mailbox's Drafts; it is listed there only", async () => {
    const d = await h.ok<{ draft_id: string }>('ol_email_create_draft', { mailbox: SUPPORT, to: ['anna.schmidt@contoso.example'], subject: 'From support', body: 'Hello' });
    const writes = h.sandbox.requests.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    for (const r of writes) expect(r.path.toLowerCase().startsWith(`/v1.0/users/${SUPPORT}/`)).toBe(true);
    const there = await h.ok<{ drafts: Array<{ draft_id: string; subject: string }> }>('ol_email_list_drafts', { mailbox: SUPPORT });
    expect(there.drafts.map((x) => x.draft_id)).toContain(d.draft_id);
    const own = await h.ok<{ drafts: Array<{ draft_id: string; subject: string }> }>('ol_email_list_drafts', {});
    expect(own.drafts.map((x) => x.subject)).not.toContain('From support');
    h.sandbox.clearLog();
    // The handle of the shared draft means nothing in the own mailbox.
    expect(await h.fail('ol_email_discard_draft', { draft_id: d.draft_id })).toMatch(/known|not/);
    expect(h.sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('OUTLOOK_SHARED_MAILBOXES and OUTLOOK_MAILBOX', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_SHARED_MAILBOXES: `${SUPPORT},${DELEGATOR}`, OUTLOOK_MAILBOX: SUPPORT } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.sandbox.clearLog());

  it('refuses a mailbox not on the list before any request', async () => {
    expect(await h.fail('ol_email_list_unread', { mailbox: REFUSED })).toContain('OUTLOOK_SHARED_MAILBOXES');
    expect(h.sandbox.requests).toEqual([]);
  });

  it('makes OUTLOOK_MAILBOX the default mailbox, and ol_status says so', async () => {
    const list = await h.ok<Messages>('ol_email_list_unread', { limit: 50 });
    expect(list.messages.map((m) => m.subject)).toContain('Only for Contoso Support: mailbox support');
    for (const r of h.sandbox.requests) expect(r.path.toLowerCase().startsWith(`/v1.0/users/${SUPPORT}/`)).toBe(true);
    const status = await h.call('ol_status');
    expect(status.structuredContent).toMatchObject({ mailbox: `/users/${encodeURIComponent(SUPPORT)}` });
    // Shared or a person's own, from Graph's userPurpose (Morgan's is readable to the sandbox's ready token).
    expect(textOf(status)).toContain(`(default, OUTLOOK_MAILBOX=${SUPPORT}, shared mailbox)`);
    expect(textOf(status)).toContain(
      `Other mailboxes (mailbox argument): ${SUPPORT} (shared mailbox), ${DELEGATOR} (another person's own mailbox, as their delegate) | permissions requested: Mail.Read, Calendars.Read, People.Read, User.Read, Mail.Read.Shared, Calendars.Read.Shared`,
    );
    // Read once per mailbox per process: a second status asks Graph no more about them.
    h.sandbox.clearLog();
    await h.call('ol_status');
    expect(h.sandbox.requests.filter((r) => /\/mailboxSettings$/i.test(r.path))).toEqual([]);
  });
});
