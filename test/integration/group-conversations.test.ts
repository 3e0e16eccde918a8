/**
 * Microsoft 365 group conversations (issue 20), read-only, through the tools against the sandbox's groups:
 * the OUTLOOK_ALLOW_GROUP_MAILBOXES opt-in, `mailbox: "group:<id or address>"` on ol_email_search (list and
 * search a group's threads) and ol_email_read_thread (a thread's posts, fenced and cleaned like mail bodies),
 * refusals of every other tool, handles and cursors bound to the group, and the 403 of a private group.
 * Every promise is asserted from the sandbox's request log. Runs in both eras, and paged one item at a time
 * (COLLECTION_READERS in vitest.config.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';
import { HIDDEN_GROUP_TEXT, SANDBOX_GROUP_IDS } from '../../src/sandbox/groups.js';

const FALCON = 'group:project-falcon@contoso.example';
const FALCON_ID = `group:${SANDBOX_GROUP_IDS.falcon}`;
const BOARD = 'group:board-private@contoso.example';

interface Threads {
  messages: Array<{ id: string; subject: string; from?: string; flags?: string[] }>;
  next_cursor?: string;
}
interface Thread {
  subject: string;
  conversation_id: string;
  message_count: number;
  messages: Array<{ id: string; from?: string; attachments?: string[]; body: { text: string; hidden_removed?: number; untrusted: true } }>;
}

const hasMailboxArg = (t: { inputSchema: { properties?: object } }) => 'mailbox' in (t.inputSchema.properties ?? {});

describe('without OUTLOOK_ALLOW_GROUP_MAILBOXES', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.sandbox.clearLog());

  it('refuses group: before any request, naming the setting (with or without the shared-mailbox opt-in)', async () => {
    const plain = await startHarness();
    try {
      for (const harness of [h, plain]) {
        for (const name of ['ol_email_search', 'ol_email_read_thread', 'ol_email_list_unread']) {
          const text = await harness.fail(name, { mailbox: FALCON, ...(name === 'ol_email_read_thread' ? { id: 'abcdefgh' } : {}) });
          expect(text, name).toContain('OUTLOOK_ALLOW_GROUP_MAILBOXES=true');
        }
        expect(harness.sandbox.requests).toEqual([]);
      }
      // Without either opt-in, no tool carries the argument.
      const { tools } = await plain.client.listTools();
      expect(tools.filter(hasMailboxArg)).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe('with OUTLOOK_ALLOW_GROUP_MAILBOXES=true', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true', OUTLOOK_ALLOW_DRAFTS: 'true' } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.sandbox.clearLog());

  it('adds mailbox (group:) to the two tools that read groups, and to no other', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.filter(hasMailboxArg).map((t) => t.name).sort()).toEqual(['ol_email_read_thread', 'ol_email_search']);
    const search = tools.find((t) => t.name === 'ol_email_search');
    expect(JSON.stringify(search?.inputSchema)).toContain('group:<id or address>');
  });

  it('lists a group by address: one lookup (cached), then /groups/{id}/threads only, newest first, GETs only', async () => {
    const list = await h.ok<Threads>('ol_email_search', { mailbox: FALCON });
    expect(list.messages.map((m) => m.subject)).toEqual(['Offsite venue', 'Budget figures Q3', 'Kick-off agenda']);
    expect(list.messages[1]?.flags).toEqual(['group thread', 'attachment']);
    expect(list.messages[2]?.from).toBe('Anna Schmidt, Lee Chen, Avery Quinn');
    const lookups = h.sandbox.requests.filter((r) => r.path === '/v1.0/groups');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.query.$filter).toBe("mail eq 'project-falcon@contoso.example'");
    for (const r of h.sandbox.requests) {
      expect(r.method).toBe('GET');
      expect(r.path === '/v1.0/groups' || r.path.startsWith(`/v1.0/groups/${SANDBOX_GROUP_IDS.falcon}/threads`)).toBe(true);
    }
    h.sandbox.clearLog();
    // The address is resolved once per process; the id form needs no lookup at all.
    await h.ok<Threads>('ol_email_search', { mailbox: FALCON.toUpperCase().replace('GROUP:', 'group:'), limit: 1 });
    await h.ok<Threads>('ol_email_search', { mailbox: FALCON_ID, limit: 1 });
    expect(h.sandbox.requests.filter((r) => r.path === '/v1.0/groups')).toEqual([]);
  });

  it('pages a group with cursors bound to it: every thread once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page: Threads = await h.ok<Threads>('ol_email_search', { mailbox: FALCON, limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.messages.map((m) => m.subject));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['Offsite venue', 'Budget figures Q3', 'Kick-off agenda']);
  });

  it('narrows by text, sender, attachment and date', async () => {
    const subjects = async (args: Record<string, unknown>) => (await h.ok<Threads>('ol_email_search', { mailbox: FALCON, ...args })).messages.map((m) => m.subject);
    expect(await subjects({ query: 'BUDGET' })).toEqual(['Budget figures Q3']);
    expect(await subjects({ from: 'lee' })).toEqual(['Offsite venue', 'Kick-off agenda']);
    expect(await subjects({ has_attachment: true })).toEqual(['Budget figures Q3']);
    expect(await subjects({ has_attachment: false, query: 'hafenhaus' })).toEqual(['Offsite venue']);
    expect(await subjects({ received_before: '2020-01-01' })).toEqual([]);
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_search', { mailbox: FALCON, folder: 'inbox' })).toMatch(/folder: not available for group conversations/);
    expect(h.sandbox.requests).toEqual([]);
  });

  it('reads a thread: posts oldest first, hidden text removed, bodies fenced, attachments named', async () => {
    const list = await h.ok<Threads>('ol_email_search', { mailbox: FALCON });
    const kickoff = list.messages.find((m) => m.subject === 'Kick-off agenda')?.id as string;
    h.sandbox.clearLog();
    const r = await h.call('ol_email_read_thread', { mailbox: FALCON, id: kickoff });
    expect(r.isError).toBeFalsy();
    const t = r.structuredContent as unknown as Thread;
    expect(t.subject).toBe('Kick-off agenda');
    expect(t.message_count).toBe(3);
    expect(t.messages.map((m) => m.from)).toEqual(['Anna Schmidt <anna.schmidt@contoso.example>', 'Lee Chen <lee.chen@contoso.example>', 'Avery Quinn <avery.quinn@contoso.example>']);
    expect(t.messages[1]?.body.text).toContain('risk register');
    expect(t.messages[1]?.body.hidden_removed).toBeGreaterThan(0);
    const text = textOf(r);
    expect(JSON.stringify(t)).not.toContain('SYSTEM NOTICE');
    expect(text).not.toContain(HIDDEN_GROUP_TEXT.slice(0, 20));
    expect(text.match(/<<<UNTRUSTED GROUP POST BODY [0-9a-f]{8}:/g)).toHaveLength(3);
    expect(text).toContain(`Group thread (${FALCON})`);
    for (const q of h.sandbox.requests) {
      expect(q.method).toBe('GET');
      expect(q.path.startsWith(`/v1.0/groups/${SANDBOX_GROUP_IDS.falcon}/threads/`)).toBe(true);
    }
    // Paged one post at a time, every page is followed (the paged-2026 pass); else the posts come in one page.
    const postPages = h.sandbox.requests.filter((q) => q.path.endsWith('/posts')).length;
    expect(postPages).toBe(process.env.OUTLOOK_SANDBOX_PAGE_SIZE === '1' ? 3 : 1);
    const budget = list.messages.find((m) => m.subject === 'Budget figures Q3')?.id as string;
    const b = await h.ok<Thread>('ol_email_read_thread', { mailbox: FALCON_ID, id: budget });
    expect(b.messages[0]?.attachments).toEqual(['falcon-budget-q3.xlsx']);
  });

  it('binds handles and cursors to the group: refused for the own mailbox and the reverse, before any request', async () => {
    const group = await h.ok<Threads>('ol_email_search', { mailbox: FALCON, limit: 1 });
    const own = await h.ok<Threads>('ol_email_list_unread', { limit: 1 });
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_read_thread', { id: group.messages[0]?.id as string })).toMatch(/not a message id known/);
    expect(await h.fail('ol_email_read_thread', { mailbox: FALCON, id: own.messages[0]?.id as string })).toMatch(/not a thread id known/);
    expect(await h.fail('ol_email_search', { cursor: group.next_cursor as string })).toMatch(/another mailbox/);
    expect(await h.fail('ol_email_list_unread', { cursor: group.next_cursor as string })).toMatch(/belongs to ol_email_search/);
    expect(await h.fail('ol_email_search', { mailbox: FALCON, cursor: own.next_cursor as string })).toMatch(/belongs to ol_email_list_unread|another mailbox/);
    const ownSearch = await h.ok<Threads>('ol_email_search', { limit: 1 });
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_search', { mailbox: FALCON, cursor: ownSearch.next_cursor as string })).toMatch(/another mailbox/);
    expect(h.sandbox.requests).toEqual([]);
  });

  it("a private group's 403 names the group, the membership and the permission", async () => {
    const text = await h.fail('ol_email_search', { mailbox: BOARD });
    expect(text).toContain(`Reading the conversations of the group ${BOARD} was refused (403 ErrorAccessDenied)`);
    expect(text).toContain('member of the group');
    expect(text).toContain('Group.Read.All');
    expect(await h.fail('ol_email_search', { mailbox: 'group:0a1f0000-9a00-4c00-8000-00000000dead' })).toMatch(/group group:0a1f0000-9a00-4c00-8000-00000000dead or the thread asked for was not found/);
    expect(await h.fail('ol_email_search', { mailbox: 'group:nobody@contoso.example' })).toMatch(/no Microsoft 365 group has the address nobody@contoso\.example/);
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_search', { mailbox: 'group:../me/messages' })).toMatch(/names no group/);
    expect(h.sandbox.requests).toEqual([]);
  });

  it('refuses every tool that does not read groups, writes first, before any request', async () => {
    const create = await h.fail('ol_email_create_draft', { mailbox: FALCON, to: ['a@contoso.example'], subject: 'x', body: 'y' });
    expect(create).toMatch(/read-only/);
    expect(await h.fail('ol_email_list_unread', { mailbox: FALCON })).toMatch(/does not read group conversations.*ol_email_search/);
    expect(await h.fail('ol_email_read', { mailbox: FALCON, id: 'abcdefgh' })).toMatch(/does not read group conversations/);
    expect(await h.fail('ol_calendar_list_events', { mailbox: FALCON, from_date: '2026-12-01', to_date: '2026-12-02' })).toMatch(/does not read group conversations/);
    expect(h.sandbox.requests).toEqual([]);
  });

  it('ol_status says group conversations are on and which permission they need', async () => {
    const r = await h.call('ol_status', {});
    expect(textOf(r)).toMatch(/Group conversations \(read-only.*Group\.Read\.All/);
  });
});

describe('with both opt-ins', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTLOOK_ALLOW_GROUP_MAILBOXES: 'true', OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true', OUTLOOK_ALLOW_DRAFTS: 'true' } });
  });
  afterAll(async () => h.close());
  beforeEach(() => h.sandbox.clearLog());

  it('reads a group and a shared mailbox side by side, and a draft tool still refuses the group', async () => {
    const group = await h.ok<Threads>('ol_email_search', { mailbox: FALCON, limit: 1 });
    const shared = await h.ok<Threads>('ol_email_search', { mailbox: 'support@contoso.example', limit: 1 });
    expect(group.messages[0]?.subject).toBe('Offsite venue');
    expect(shared.messages).toHaveLength(1);
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_read_thread', { mailbox: 'support@contoso.example', id: group.messages[0]?.id as string })).toMatch(/not a message id known/);
    expect(await h.fail('ol_email_create_draft', { mailbox: FALCON, to: ['a@contoso.example'], subject: 'x', body: 'y' })).toMatch(/read-only/);
    expect(h.sandbox.requests).toEqual([]);
  });
});
