/**
 * Strict function-calling clients send `null` for every optional field (and
 * an empty string where they must put a string). For every tool the server
 * lists, on both protocol eras: a call with every optional field `null`, and
 * one with `''` in every optional id/cursor/date/zone field, behaves like the
 * call that leaves them out. The tool inventory drives it: a listed tool with
 * optional fields and no sample arguments here fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { emptyMeansUnset } from '../../src/mcp/unset-arguments.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import { textOf } from '../helpers/harness.js';

type Args = Record<string, unknown>;
/** Required arguments of each tool with optional ones; a factory, since drafts are used up by some calls. */
const REQUIRED: Record<string, (h: DraftsHarness) => Promise<Args>> = {
  ol_calendar_create_event_draft: async () => ({ subject: 'Sync', start: '2026-12-02T10:00', end: '2026-12-02T10:30' }),
  ol_calendar_find_free_time: async () => ({ from_date: '2026-12-02', to_date: '2026-12-04' }),
  ol_calendar_get_event: async () => ({ id: SEED_IDS.standupSeries }),
  ol_calendar_list_events: async () => ({ from_date: '2026-12-01', to_date: '2026-12-05' }),
  ol_calendar_search: async () => ({ query: 'standup' }),
  ol_email_create_draft: async () => ({ body: 'Hello', subject: 'Hi', to: ['dana@fabrikam.example'] }),
  ol_email_list_drafts: async () => ({}),
  ol_email_list_unread: async () => ({}),
  ol_email_read: async () => ({ id: SEED_IDS.plainTextMessage }),
  ol_email_read_attachment: async () => ({ id: SEED_IDS.messageWithDocuments, attachment_id: SEED_IDS.mdDocument }),
  ol_email_read_thread: async () => ({ id: SEED_IDS.threadRoot }),
  ol_email_search: async () => ({ query: 'invoice' }),
  ol_email_update_draft: async (h) => ({ draft_id: (await h.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'Keep me', body: 'b' })).draft_id }),
  ol_email_whats_new: async () => ({}),
  ol_login_begin: async () => ({}),
  ol_people_search: async () => ({ query: 'dana' }),
};

/** What the client sees, without what differs between two calls of the same thing (new handles, times, a sync point moved on). */
const gist = (r: CallToolResult) => ({ isError: !!r.isError, error: r.isError ? textOf(r) : undefined });

for (const era of [
  { name: '2025-11-25 client', client: undefined },
  { name: 'client pinned to 2026-07-28', client: { versionNegotiation: { mode: { pin: '2026-07-28' as const } } } },
]) {
  describe(`null and empty optional arguments, ${era.name}`, () => {
    let h: DraftsHarness;
    let tools: Array<{ name: string; required: string[]; optional: string[]; strings: Set<string> }>;
    beforeAll(async () => {
      h = await startDraftsHarness({ env: { OUTLOOK_ALLOW_SEND: 'true' }, client: era.client });
      const listed = (await h.client.listTools()).tools;
      tools = listed.map((t) => {
        const props = (t.inputSchema.properties ?? {}) as Record<string, { type?: string }>;
        const required = t.inputSchema.required ?? [];
        const optional = Object.keys(props).filter((k) => !required.includes(k));
        return { name: t.name, required, optional, strings: new Set(optional.filter((k) => (props[k]?.type ?? 'string') === 'string')) };
      });
    });
    afterAll(async () => {
      await h.close();
    });

    it('every listed tool with optional fields has sample arguments here', () => {
      const withOptionals = tools.filter((t) => t.optional.length > 0).map((t) => t.name);
      expect(withOptionals.length).toBeGreaterThanOrEqual(15);
      expect(withOptionals.filter((n) => !REQUIRED[n])).toEqual([]);
    });

    it('every optional field null, or empty where it names an id, cursor, date or zone, means "not given"', async () => {
      const checked: string[] = [];
      const failedSamples: string[] = [];
      for (const t of tools) {
        const sample = REQUIRED[t.name];
        if (!sample || t.optional.length === 0) continue;
        const given = Object.keys(await sample(h));
        const unset = t.optional.filter((k) => !given.includes(k));
        const plain = await h.call(t.name, await sample(h));
        const nulls = await h.call(t.name, { ...(await sample(h)), ...Object.fromEntries(unset.map((k) => [k, null])) });
        expect(gist(nulls), `${t.name} with nulls: ${textOf(nulls)}`).toEqual(gist(plain));
        const empties = Object.fromEntries(unset.filter((k) => emptyMeansUnset(k) && t.strings.has(k)).map((k) => [k, '']));
        if (Object.keys(empties).length > 0) {
          const empty = await h.call(t.name, { ...(await sample(h)), ...empties });
          expect(gist(empty), `${t.name} with ${Object.keys(empties).join(', ')} empty: ${textOf(empty)}`).toEqual(gist(plain));
        }
        // The sample itself must work, or the comparison proves little.
        if (plain.isError) failedSamples.push(`${t.name}: ${textOf(plain)}`);
        checked.push(t.name);
      }
      expect(checked.length).toBeGreaterThanOrEqual(15);
      expect(failedSamples).toEqual([]);
    }, 60_000);

    it('ol_email_update_draft with every optional field null changes nothing, and says so', async () => {
      const args = await REQUIRED.ol_email_update_draft!(h);
      h.sandbox.clearLog();
      const r = await h.ok<{ subject: string; note: string }>('ol_email_update_draft', { ...args, to: null, cc: null, bcc: null, subject: null, body: null, body_format: null, add_attachments: null, remove_attachments: null });
      expect(h.sandbox.requests.filter((q) => q.method !== 'GET')).toEqual([]);
      expect(r.subject).toBe('Keep me');
      expect(r.note).toMatch(/^Nothing changed: no field to change was given/);
    });

    it('null inside an attachment entry means "not given" too, and null in a required field is still refused', async () => {
      const d = await h.ok<{ attachments: string[] }>('ol_email_create_draft', {
        body: 'b',
        subject: 's',
        to: ['dana@fabrikam.example'],
        attachments: [{ message_id: SEED_IDS.messageWithTextAttachments, attachment_id: SEED_IDS.csvAttachment, path: null, name: null }],
      });
      expect(d.attachments).toHaveLength(1);
      expect(await h.fail('ol_email_read', { id: null })).toMatch(/\bid\b/);
      expect(await h.fail('ol_email_read', { id: '' })).toMatch(/\bid\b/);
    });
  });
}
