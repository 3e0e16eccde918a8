/**
 * The never-send invariant (docs/DESIGN.md promise 1): whatever sequence of tool
 * calls an agent makes, with valid or hostile arguments, nothing reaches an
 * endpoint that notifies a person and the sandbox records no notification.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { scopesFor } from '../../src/auth/scopes.js';
import { allTools, toolsFor } from '../../src/tools/index.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

/** Paths that email someone (docs/GRAPH-NOTES.md §1, §2). */
const NOTIFYING = /\/(send|sendMail|reply|replyAll|forward|cancel|accept|decline|tentativelyAccept)$/i;

function hasAttendees(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  return Object.entries(body).some(([k, v]) => k.toLowerCase() === 'attendees' && Array.isArray(v) && v.length > 0);
}

/** Every request that could have notified someone; empty when the invariant holds. */
function notifyingRequests(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => {
    if (r.method === 'GET') return false;
    const last = r.rawPath.split('/').at(-1) ?? '';
    // Match on the raw (encoded) last segment: an id containing "/send" stays one encoded segment.
    if (NOTIFYING.test('/' + decodeURIComponent(last).split('/').at(-1)) && !last.includes('%2F')) return true;
    if (/\/events(\/|$)/i.test(r.path) && (r.method === 'POST' || r.method === 'PATCH') && hasAttendees(r.body)) return true;
    return false;
  });
}

const MESSAGE_IDS = [SEED_IDS.threadRoot, SEED_IDS.threadWithHistory, SEED_IDS.draftMessage, SEED_IDS.threadDraft, SEED_IDS.messageWithPdf, SEED_IDS.plainTextMessage, SEED_IDS.injectionMessage];
const EVENT_IDS = [SEED_IDS.organizedMeeting, SEED_IDS.conflictingMeeting, SEED_IDS.standupSeries, SEED_IDS.standupException, SEED_IDS.appointment, SEED_IDS.weekdaySeries];

/** Ids an agent might pass: seeds, seeds with endpoint suffixes, path tricks, and handles of what it created. */
function idArb(kind: 'message' | 'event'): fc.Arbitrary<string> {
  const seeds = kind === 'message' ? MESSAGE_IDS : EVENT_IDS;
  const base = fc.constantFrom(...seeds);
  return fc.oneof(
    base,
    base.map((id) => `${id}/send`),
    base.map((id) => `${id}/forward`),
    base.map((id) => `${id}/cancel`),
    base.map((id) => `${id}%2Fsend`),
    base.map((id) => `${id}/../../sendMail`),
    fc.constantFrom('../sendMail', '..%2F..%2FsendMail', 'me/sendMail', '/me/messages/x/send', 'AAAAAAAAAAAAAAAAAAAA/send', '@created', '@createdEvent', '@createdMail'),
  );
}

const address = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('dana@fabrikam.example', 'Dana <dana@fabrikam.example>', 'x@y.example', 'avery.quinn@contoso.example') },
  { weight: 1, arbitrary: fc.constantFrom('not-an-address', 'a@b.example, c@d.example', 'evil@x.example>\r\nBcc: z@z.example') },
);
/** Handles of items created earlier in the run (substituted at call time), weighted up so own-draft paths run often. */
const own = (kind: 'mail' | 'event', hostile: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(kind === 'mail' ? '@createdMail' : '@createdEvent') }, { weight: 1, arbitrary: fc.constant('@created') }, { weight: 3, arbitrary: hostile });
const addresses = fc.array(address, { maxLength: 3 });
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) }, { weight: 1, arbitrary: fc.constantFrom('**hi**', '<script>x()</script>', 'Meeting\nBcc: a@b.example', '') });
const when = fc.constantFrom('2026-12-02T10:00', '2026-12-02T11:00', '2026-12-03', 'tomorrow', '2026-12-02T09:00:00Z');

type Call = { name: string; args: Record<string, unknown> };
const HUMAN_SENDS = 'Room human-sends';
const call = (name: string, args: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Call> => args.map((a) => ({ name, args: a }));

/**
 * Argument generators for every tool, by name. The call list is built from the tool inventory below, so
 * a tool added without an entry here fails the test instead of escaping the property.
 */
const ARGS: Readonly<Record<string, ReadonlyArray<fc.Arbitrary<Record<string, unknown>>>>> = {
  ol_email_create_draft: [
    fc.record({ to: addresses, subject: text, body: text }, { requiredKeys: ['body'] }),
    fc.record({ in_reply_to: idArb('message'), reply_all: fc.boolean(), body: text, to: addresses }, { requiredKeys: ['in_reply_to', 'body'] }),
    fc.record({ forward_of: idArb('message'), to: addresses, body: text }, { requiredKeys: ['forward_of', 'body'] }),
  ],
  ol_email_update_draft: [fc.record({ draft_id: own('mail', fc.oneof(idArb('message'), idArb('event'))), to: addresses, subject: text, body: text }, { requiredKeys: ['draft_id'] })],
  ol_email_list_drafts: [fc.record({ profile_only: fc.boolean() })],
  ol_email_review_draft: [fc.record({ draft_id: own('mail', fc.oneof(idArb('message'), idArb('event'))) })],
  // Listed only to MCP Apps clients (this harness is not one); kept here so the inventory check covers it.
  ol_email_card_view: [fc.record({ draft_id: own('mail', fc.oneof(idArb('message'), idArb('event'))) })],
  ol_email_discard_draft: [fc.record({ draft_id: own('mail', fc.oneof(idArb('message'), idArb('event'))) })],
  ol_calendar_create_event_draft: [
    fc
      .record({
        window: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom<[string, string]>(['2026-12-02T10:00', '2026-12-02T11:00'], ['2026-12-03T14:00', '2026-12-03T14:30']) },
          { weight: 1, arbitrary: fc.tuple<[string, string]>(when, when) },
        ),
        subject: text,
        attendees: addresses,
        online_meeting: fc.boolean(),
        // Marks an event the simulated human then "sends" in Outlook (attendees appear on it).
        location: fc.constantFrom('Room 1', 'Room 1', HUMAN_SENDS),
      })
      .map(({ window: [start, end], ...rest }) => ({ ...rest, start, end })),
  ],
  ol_calendar_discard_event_draft: [fc.record({ event_id: own('event', fc.oneof(idArb('event'), idArb('message'))) })],
  ol_email_read: [fc.record({ id: idArb('message') })],
  ol_email_read_thread: [fc.record({ id: idArb('message') })],
  ol_email_get_attachment: [fc.record({ message_id: idArb('message'), attachment_id: fc.constantFrom(SEED_IDS.pdfAttachment, `${SEED_IDS.pdfAttachment}/send`) })],
  ol_email_read_attachment: [
    fc.record({
      id: fc.oneof(idArb('message'), fc.constant(SEED_IDS.messageWithDocuments)),
      attachment_id: fc.constantFrom(SEED_IDS.pdfDocument, SEED_IDS.docxDocument, SEED_IDS.mdDocument, `${SEED_IDS.pdfDocument}/send`),
      pages: fc.constantFrom('1', '1-2', '2-', '../send'),
    }, { requiredKeys: ['id', 'attachment_id'] }),
  ],
  ol_email_search: [fc.record({ query: text }, { requiredKeys: [] })],
  ol_email_list_unread: [fc.record({ limit: fc.integer({ min: 1, max: 5 }) })],
  ol_email_whats_new: [fc.record({ folder: fc.constantFrom('inbox', 'sentitems', 'drafts', '../sendMail', 'inbox/send'), limit: fc.integer({ min: 1, max: 5 }) })],
  ol_email_list_folders: [fc.constant({})],
  ol_people_search: [fc.record({ query: text })],
  ol_calendar_get_event: [fc.record({ id: idArb('event') })],
  ol_calendar_list_events: [fc.record({ from_date: fc.constant('2026-11-30'), to_date: fc.constant('2026-12-06') })],
  ol_calendar_search: [fc.record({ query: fc.constantFrom('workshop', 'stand-up') })],
  ol_calendar_find_free_time: [
    fc.record({ attendees: addresses, from_date: fc.constant('2026-11-30'), to_date: fc.constant('2026-12-04'), duration_minutes: fc.constantFrom(30, 60) }),
    fc.record({ attendees: addresses, proposed_start: when, proposed_end: when }, { requiredKeys: ['proposed_start'] }),
  ],
  ol_status: [fc.constant({})],
  ol_login_status: [fc.constant({})],
  ol_login_begin: [fc.constant({})],
};

/** Calls to the tools a server exposes, each through its argument generators; tools that write are drawn more often. */
function callsFor(exposed: ReadonlyArray<{ name: string; annotations?: { readOnlyHint?: boolean } }>): fc.Arbitrary<Call> {
  const missing = exposed.filter((t) => !ARGS[t.name]).map((t) => t.name);
  if (missing.length) throw new Error(`never-send: no argument generator for ${missing.join(', ')}; add one to ARGS.`);
  return fc.oneof(...exposed.flatMap((t) => (ARGS[t.name] ?? []).map((a) => ({ weight: t.annotations?.readOnlyHint === false ? 4 : 1, arbitrary: call(t.name, a) }))));
}

describe('never-send invariant (drafts on, send off)', () => {
  let h: DraftsHarness;
  let CALLS: fc.Arbitrary<Call>;
  beforeAll(async () => {
    h = await startDraftsHarness({ sandbox: { now: new Date('2026-11-27T12:00:00Z') } });
    CALLS = callsFor((await h.client.listTools()).tools);
  });
  afterAll(async () => {
    await h.close();
  });

  it('covers every tool of the inventory that drafts mode exposes (send aside: it has its own tests)', async () => {
    const drafts = toolsFor({ allowDrafts: true, allowSend: false, authMode: 'delegated' }, await allTools()).map((t) => t.name);
    expect(drafts.filter((n) => !ARGS[n])).toEqual([]);
    expect(Object.keys(ARGS).filter((n) => !drafts.includes(n))).toEqual([]);
  });

  it('registers the draft tools and no send tool', async () => {
    const names = (await h.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['ol_email_create_draft', 'ol_email_update_draft', 'ol_email_list_drafts', 'ol_email_discard_draft', 'ol_calendar_create_event_draft', 'ol_calendar_discard_event_draft']));
    expect(names.filter((n) => /send/.test(n))).toEqual([]);
  });

  it('no sequence of tool calls notifies anyone', async () => {
    const created: { mail?: string; event?: string } = {};
    const succeeded = new Set<string>();
    const substitute = (v: unknown): unknown => {
      if (v === '@created') return created.mail ?? created.event ?? v;
      if (v === '@createdMail') return created.mail ?? v;
      if (v === '@createdEvent') return created.event ?? v;
      return v;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(CALLS, { minLength: 1, maxLength: 8 }), async (calls) => {
        h.sandbox.clearLog();
        for (const c of calls) {
          const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, substitute(v)]));
          const r = await h.call(c.name, args);
          const s = r.structuredContent as { draft_id?: string; event_id?: string } | undefined;
          if (!r.isError && s?.draft_id) created.mail = s.draft_id;
          if (!r.isError && s?.event_id) created.event = s.event_id;
          // A human "sends" an event draft in Outlook: attendees appear; discarding must now refuse.
          if (!r.isError) succeeded.add(c.name);
          if (!r.isError && s?.event_id && c.name === 'ol_calendar_create_event_draft' && args.location === HUMAN_SENDS) {
            const id = await h.deps.handles.lookup(s.event_id);
            const e = h.sandbox.mailbox.events.find((x) => x.id === id);
            e?.attendees.push({ type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'D', address: 'dana@fabrikam.example' } });
          }
        }
        expect(h.sandbox.notifications).toEqual([]);
        expect(notifyingRequests(h.sandbox.requests)).toEqual([]);
      }),
      // Fewer runs when the sandbox pages one item at a time (every read is then many requests); the invariant is the same.
      { numRuns: process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 45 : 60, seed: 4242, endOnFailure: true },
    );
    // The sequences did exercise the write paths, not only refusals.
    expect(created.mail).toBeDefined();
    expect(created.event).toBeDefined();
    expect([...succeeded].sort()).toEqual(expect.arrayContaining(['ol_calendar_create_event_draft', 'ol_calendar_discard_event_draft', 'ol_email_create_draft', 'ol_email_discard_draft', 'ol_email_update_draft']));
  }, process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 90_000 : 30_000);

  it('refuses the classic hostile calls outright', async () => {
    h.sandbox.clearLog();
    for (const id of [SEED_IDS.organizedMeeting, SEED_IDS.conflictingMeeting, SEED_IDS.standupSeries, `${SEED_IDS.organizedMeeting}/cancel`]) {
      expect((await h.call('ol_calendar_discard_event_draft', { event_id: id })).isError).toBe(true);
    }
    for (const id of [SEED_IDS.draftMessage, `${SEED_IDS.draftMessage}/send`, '../sendMail']) {
      expect((await h.call('ol_email_discard_draft', { draft_id: id })).isError).toBe(true);
      expect((await h.call('ol_email_update_draft', { draft_id: id, subject: 'x' })).isError).toBe(true);
    }
    expect(h.sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(h.sandbox.notifications).toEqual([]);
  });
});

/** Mailboxes an agent might name with OUTLOOK_ALLOW_SHARED_MAILBOXES (the sandbox's shared, delegated and refused ones), and hostile ones. */
const MAILBOXES = fc.constantFrom(
  undefined,
  undefined,
  'support@contoso.example',
  'morgan.delegator@contoso.example',
  'riley.private@contoso.example',
  '../me/sendMail',
  'support@contoso.example/sendMail',
  'avery.quinn@contoso.example',
);
/** Groups (OUTLOOK_ALLOW_GROUP_MAILBOXES): read-only, whichever tool is called with them; a member group, a private one, a path. */
const GROUPS = fc.constantFrom(undefined, 'group:project-falcon@contoso.example', 'group:project-falcon@contoso.example', 'group:0a1f0000-9a00-4c00-8000-0000000000f2', 'group:../me/sendMail');

describe('never-send invariant for every mailbox and group (OUTLOOK_ALLOW_SHARED_MAILBOXES and OUTLOOK_ALLOW_GROUP_MAILBOXES, drafts on, send off)', () => {
  let h: DraftsHarness;
  let CALLS: fc.Arbitrary<Call>;
  let GROUP_CALLS: fc.Arbitrary<Call>;
  beforeAll(async () => {
    h = await startDraftsHarness({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true' }, sandbox: { now: new Date('2026-11-27T12:00:00Z') } });
    const tools = (await h.client.listTools()).tools;
    const withMailbox = new Set(tools.filter((t) => 'mailbox' in ((t.inputSchema.properties ?? {}) as object)).map((t) => t.name));
    expect(withMailbox.size).toBeGreaterThan(10);
    CALLS = fc.tuple(callsFor(tools), MAILBOXES).map(([c, mailbox]) => (mailbox && withMailbox.has(c.name) ? { name: c.name, args: { ...c.args, mailbox } } : c));
    // A group goes to every tool that names a mailbox (most refuse it), and to the two that read groups twice as often.
    const readsGroups = tools.filter((t) => t.name === 'ol_email_search' || t.name === 'ol_email_read_thread');
    GROUP_CALLS = fc
      .tuple(fc.oneof(callsFor(tools), callsFor(readsGroups), callsFor(readsGroups)), GROUPS)
      .map(([c, mailbox]) => (mailbox && withMailbox.has(c.name) ? { name: c.name, args: { ...c.args, mailbox } } : c));
  });
  afterAll(async () => {
    await h.close();
  });

  it('no sequence of tool calls in any mailbox notifies anyone', async () => {
    let created: string | undefined;
    const writtenIn = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(CALLS, { minLength: 1, maxLength: 8 }), async (calls) => {
        h.sandbox.clearLog();
        for (const c of calls) {
          const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('@created') ? (created ?? v) : v]));
          const r = await h.call(c.name, args);
          const s = r.structuredContent as { draft_id?: string; event_id?: string } | undefined;
          if (!r.isError && (s?.draft_id || s?.event_id)) {
            created = s.draft_id ?? s.event_id;
            writtenIn.add(String(args.mailbox ?? 'own'));
          }
        }
        expect(h.sandbox.notifications).toEqual([]);
        expect(notifyingRequests(h.sandbox.requests)).toEqual([]);
        // Nothing ever left the mailboxes the agent may name.
        for (const r of h.sandbox.requests) expect(r.path).toMatch(/^\/v1\.0\/(me|users\/(support|morgan\.delegator|riley\.private|avery\.quinn)@contoso\.example)(\/|$)/i);
      }),
      { numRuns: process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 30 : 60, seed: 2020, endOnFailure: true },
    );
    // Drafts were made in the shared mailbox too, not only refused there.
    expect([...writtenIn]).toEqual(expect.arrayContaining(['own', 'support@contoso.example']));
  }, process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 120_000 : 45_000);

  it('no sequence of tool calls with a group writes to it or notifies anyone', async () => {
    let created: string | undefined;
    let groupRead = false;
    await fc.assert(
      fc.asyncProperty(fc.array(GROUP_CALLS, { minLength: 1, maxLength: 6 }), async (calls) => {
        h.sandbox.clearLog();
        for (const c of calls) {
          const args = Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('@created') ? (created ?? v) : v]));
          const r = await h.call(c.name, args);
          const s = r.structuredContent as { draft_id?: string; event_id?: string } | undefined;
          if (!r.isError && (s?.draft_id || s?.event_id)) created = s.draft_id ?? s.event_id;
          if (!r.isError && String(args.mailbox).startsWith('group:project')) groupRead = true;
        }
        expect(h.sandbox.notifications).toEqual([]);
        expect(notifyingRequests(h.sandbox.requests)).toEqual([]);
        expect(h.sandbox.requests.filter((r) => r.path.startsWith('/v1.0/groups') && r.method !== 'GET')).toEqual([]);
        for (const r of h.sandbox.requests) expect(r.path).toMatch(/^\/v1\.0\/(me|groups(\/0a1f0000-9a00-4c00-8000-0000000000f[12])?)(\/|$)/i);
      }),
      { numRuns: process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 15 : 30, seed: 2020, endOnFailure: true },
    );
    // A group was read, not only refused.
    expect(groupRead).toBe(true);
  }, process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 90_000 : 30_000);
});

describe('drafts disabled: no tool mutates anything', () => {
  let h: DraftsHarness;
  let CALLS: fc.Arbitrary<Call>;
  beforeAll(async () => {
    h = await startDraftsHarness({ env: { OUTLOOK_ALLOW_DRAFTS: 'false' }, sandbox: { now: new Date('2026-11-27T12:00:00Z') } });
    // The draft tools are generated too: calling an unregistered tool must fail, which is the point.
    CALLS = callsFor(Object.keys(ARGS).map((name) => ({ name })));
  });
  afterAll(async () => {
    await h.close();
  });

  it('exposes no draft or send tool, and any call sequence only reads', async () => {
    const names = (await h.client.listTools()).tools.map((t) => t.name);
    expect(names.filter((n) => /draft|send/.test(n))).toEqual([]);
    h.sandbox.clearLog();
    await fc.assert(
      fc.asyncProperty(fc.array(CALLS, { minLength: 1, maxLength: 6 }), async (calls) => {
        // Draft tools are not registered: calling them is a protocol error, which is the point.
        for (const c of calls) await h.call(c.name, c.args).catch(() => undefined);
      }),
      { numRuns: 15, seed: 7 },
    );
    expect(h.sandbox.requests.length).toBeGreaterThan(0);
    // getSchedule is a POST that only reads free/busy.
    expect(h.sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/calendar/getSchedule'))).toEqual([]);
    expect(h.sandbox.notifications).toEqual([]);
  }, process.env.OUTLOOK_SANDBOX_PAGE_SIZE ? 90_000 : 30_000);
});

describe('scopes follow the flags', () => {
  it('never include Mail.Send unless send is enabled', () => {
    for (const cloud of ['global', 'usgov'] as const) {
      for (const allowDrafts of [false, true]) {
        const scopes = scopesFor({ allowDrafts, allowSend: false, cloud, authMode: 'delegated' });
        expect(scopes.some((s) => /mail\.send/i.test(s))).toBe(false);
        if (allowDrafts) expect(scopes.some((s) => /Mail\.ReadWrite/.test(s))).toBe(true);
      }
    }
    expect(scopesFor({ allowDrafts: true, allowSend: true, cloud: 'global', authMode: 'delegated' })).toContain('Mail.Send');
  });
});
