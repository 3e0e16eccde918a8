/** ol_email_read_thread through a real MCP client against the sandbox. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';

interface ThreadMsg {
  id: string;
  from?: string;
  date: string;
  flags?: string[];
  attachments?: string[];
  body: { untrusted: true; text: string; total_chars: number; truncated?: boolean };
}
interface Thread {
  subject: string;
  conversation_id: string;
  message_count: number;
  messages: ThreadMsg[];
  truncated?: boolean;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sandbox: { pageSizeCap: 2 } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sandbox.clearLog());

describe('ol_email_read_thread', () => {
  it('returns the whole conversation oldest first, each message without its quoted history', async () => {
    const t = await h.ok<Thread>('ol_email_read_thread', { id: SEED_IDS.threadWithHistory });
    expect(t.subject).toBe('Fabrikam data platform – Phase 2 scope');
    expect(t.message_count).toBe(5);
    expect(t.messages.map((m) => m.from?.split(' <')[0])).toEqual(['Marcus Webb', 'Avery Quinn', 'Greta Lindqvist', 'Marcus Webb', 'Avery Quinn']);
    expect(t.messages.at(-1)?.flags).toContain('draft');
    const dates = t.messages.map((m) => m.date);
    expect([...dates].sort()).toEqual(dates);
    for (const m of t.messages) {
      expect(m.body.untrusted).toBe(true);
      // uniqueBody: no earlier message's text is repeated, and no quote header.
      expect(m.body.text).not.toMatch(/^From: /m);
      expect(m.body.text).not.toContain('Original Message');
    }
    expect(t.messages[0]?.body.text).toContain('propose the following scope for Phase 2');
    expect(t.messages.filter((m) => m.body.text.includes('propose the following scope'))).toHaveLength(1);
    expect(t.truncated).toBeUndefined();
  });

  it('costs one message read and one filtered list, paged whole, with uniqueBody and no $orderby', async () => {
    await h.ok('ol_email_read_thread', { id: SEED_IDS.threadWithHistory });
    const reqs = h.sandbox.requests;
    expect(reqs[0]?.path).toBe(`/v1.0/me/messages/${SEED_IDS.threadWithHistory}`);
    const lists = reqs.slice(1);
    expect(lists.length).toBe(3); // 5 messages, pages of 2
    expect(lists[0]?.query.$filter).toBe(`conversationId eq '${SEED_IDS.threadConversation}'`);
    expect(lists[0]?.query.$select).toContain('uniqueBody');
    expect(lists[0]?.query.$orderby).toBeUndefined();
    expect(lists.slice(1).every((r) => r.query.$skip !== undefined)).toBe(true);
  });

  it('fences every body as untrusted in the text rendering', async () => {
    const text = textOf(await h.call('ol_email_read_thread', { id: SEED_IDS.threadWithHistory }));
    expect(text.match(/<<<UNTRUSTED EMAIL BODY [0-9a-f]{8}: external content/g)).toHaveLength(5);
    expect(text.match(/<<<END UNTRUSTED EMAIL BODY/g)).toHaveLength(5);
    expect(text.indexOf('[1]')).toBeLessThan(text.indexOf('[5]'));
  });

  it('shares max_chars across the thread and says what it cut', async () => {
    const t = await h.ok<Thread>('ol_email_read_thread', { id: SEED_IDS.threadWithHistory, max_chars: 1000 });
    expect(t.truncated).toBe(true);
    expect(t.messages).toHaveLength(5);
    const cut = t.messages.filter((m) => m.body.truncated);
    expect(cut.length).toBeGreaterThan(0);
    for (const m of cut) expect(m.body.total_chars).toBeGreaterThan(m.body.text.length - 80);
    expect(textOf(await h.call('ol_email_read_thread', { id: SEED_IDS.threadWithHistory, max_chars: 1000 }))).toContain('Some bodies were cut to fit max_chars');
  });

  it('accepts the conversation id that ol_email_read shows', async () => {
    const read = await h.ok<{ conversation_id: string }>('ol_email_read', { id: SEED_IDS.proposalMessage });
    const t = await h.ok<Thread>('ol_email_read_thread', { id: read.conversation_id });
    expect(t.messages.map((m) => m.from?.split(' <')[0])).toEqual(['Avery Quinn', 'Anna Schmidt']);
    expect(t.messages[1]?.body.text).toContain('Friday 14:00–15:00');
  });

  it('explains an id with no conversation', async () => {
    expect(await h.fail('ol_email_read_thread', { id: 'AAMkAGVmMDEzNotAnythingAtAllXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' })).toContain('no messages in this conversation');
  });
});
