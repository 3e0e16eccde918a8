import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { DRAFT_ORIGIN_PROPERTY, DRAFT_PROFILE_PROPERTY } from '../../src/drafts/tag.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';
import type { MailDraftResult } from '../../src/services/drafts.js';

type Draft = MailDraftResult;

let h: DraftsHarness;
beforeAll(async () => {
  h = await startDraftsHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sandbox.clearLog());

function message(id: string) {
  const m = h.sandbox.mailbox.messages.find((x) => x.id === id);
  if (!m) throw new Error('no such message');
  return m;
}

const mutating = () => h.sandbox.requests.filter((r) => r.method !== 'GET');

describe('ol_email_create_draft', () => {
  it('creates a tagged, recorded draft from Markdown and sends nothing', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', {
      to: ['Dana Lee <dana@fabrikam.example>'],
      cc: ['ops@fabrikam.example'],
      subject: 'Proposal',
      body: 'Hello **Dana**,\n\n- one\n- two\n\n<script>alert(1)</script>',
    });
    expect(d.draft_id).toMatch(/^[a-z2-9]{8}$/);
    expect(d.to).toEqual(['Dana Lee <dana@fabrikam.example>']);
    expect(d.note).toMatch(/Nothing was sent/);
    const m = message(await h.idOf(d.draft_id));
    expect(m.isDraft).toBe(true);
    expect(m.body.content).toContain('<strong>Dana</strong>');
    expect(m.body.content).not.toContain('<script>');
    expect(m.body.content).toContain('&lt;script&gt;');
    const tag = m.singleValueExtendedProperties.find((p) => p.id === DRAFT_ORIGIN_PROPERTY);
    expect(tag?.value).toMatch(/^default:[0-9a-f-]{36}$/);
    expect(m.singleValueExtendedProperties.find((p) => p.id === DRAFT_PROFILE_PROPERTY)?.value).toBe('default');
    const records = await h.deps.draftRegistry.list();
    expect(records.find((r) => r.id === m.id)?.kind).toBe('mail');
    expect(h.sandbox.notifications).toEqual([]);
    expect(mutating().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/me/messages']);
  });

  it('sanitises html bodies and keeps text bodies literal', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { to: ['a@b.example'], subject: 'x', body: '<p onclick="x()">Hi <a href="javascript:evil()">x</a><img src=x onerror=y></p><script>bad()</script>', body_format: 'html' });
    const html = message(await h.idOf(d.draft_id)).body.content;
    expect(html).toBe('<p>Hi <a>x</a></p>');
    const t = await h.ok<Draft>('ol_email_create_draft', { to: ['a@b.example'], subject: 'x', body: 'a < b\nline', body_format: 'text' });
    expect(message(await h.idOf(t.draft_id)).body.content).toBe('a &lt; b<br>\nline');
  });

  it('refuses bad addresses, missing recipients and multi-line subjects before any Graph call', async () => {
    expect(await h.fail('ol_email_create_draft', { to: ['not-an-address'], subject: 'x', body: 'y' })).toMatch(/to\[0\].*not a valid email address/);
    expect(await h.fail('ol_email_create_draft', { to: ['a@b.example, c@d.example'], subject: 'x', body: 'y' })).toMatch(/one address per list entry/);
    expect(await h.fail('ol_email_create_draft', { subject: 'x', body: 'y' })).toMatch(/at least one recipient/);
    expect(await h.fail('ol_email_create_draft', { to: ['a@b.example'], subject: 'x\nBcc: evil@x.example', body: 'y' })).toMatch(/one line/);
    expect(h.sandbox.requests).toEqual([]);
  });

  it('makes a threaded reply-all draft with createReplyAll, keeps the history and patches the tag', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { in_reply_to: SEED_IDS.threadWithHistory, reply_all: true, body: 'Thanks, agreed.' });
    expect(d.subject).toMatch(/^RE: /);
    expect(d.to.length).toBeGreaterThan(0);
    const m = message(await h.idOf(d.draft_id));
    const original = message(SEED_IDS.threadWithHistory);
    expect(m.conversationId).toBe(original.conversationId);
    expect(m.body.content.indexOf('Thanks, agreed.')).toBeLessThan(m.body.content.indexOf('<hr>'));
    expect(m.singleValueExtendedProperties.some((p) => p.id === DRAFT_ORIGIN_PROPERTY)).toBe(true);
    expect(mutating().map((r) => r.method + ' ' + r.rawPath.split('/').at(-1))).toEqual(['POST createReplyAll', `PATCH ${encodeURIComponent(m.id)}`]);
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('makes a forward draft to new recipients', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { forward_of: SEED_IDS.messageWithPdf, to: ['cfo@contoso.example'], body: 'FYI' });
    expect(d.subject).toMatch(/^FW: /);
    expect(d.to).toEqual(['cfo@contoso.example']);
    expect(mutating()[0]?.path).toMatch(/createForward$/);
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('refuses to reply to a message id with /send appended (no endpoint reachable)', async () => {
    const r = await h.call('ol_email_create_draft', { in_reply_to: `${SEED_IDS.threadRoot}/send`, body: 'x' });
    expect(h.sandbox.notifications).toEqual([]);
    expect(h.sandbox.requests.every((q) => !/\/(send|reply|replyAll|forward)$/i.test(q.path) || q.path.includes('%2F'))).toBe(true);
    expect(r.isError).toBe(true);
  });
});

describe('ol_email_update_draft / list / discard', () => {
  it('updates only given fields, [] clears a list, and refuses drafts of others', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { to: ['a@b.example'], cc: ['c@d.example'], subject: 'Old', body: 'Body' });
    h.sandbox.clearLog();
    const u = await h.ok<Draft>('ol_email_update_draft', { draft_id: d.draft_id, subject: 'New', cc: [] });
    expect(u.subject).toBe('New');
    expect(u.to).toEqual(['a@b.example']);
    expect(u.cc).toEqual([]);
    const patch = mutating()[0];
    expect(patch?.method).toBe('PATCH');
    expect(Object.keys(patch?.body as object).sort()).toEqual(['ccRecipients', 'subject']);
    // The user's own drafts (not made by this profile) are never touched.
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_update_draft', { draft_id: SEED_IDS.draftMessage, subject: 'hijack' })).toMatch(/not a draft this profile created/);
    expect(await h.fail('ol_email_discard_draft', { draft_id: SEED_IDS.threadDraft })).toMatch(/not a draft this profile created/);
    expect(mutating()).toEqual([]);
  });

  it('refuses a registry entry whose server copy lacks our tag', async () => {
    const victim = SEED_IDS.draftWithoutRecipients;
    await h.deps.draftRegistry.add({ id: victim, kind: 'mail', creationId: 'forged', subject: 'x', createdAt: new Date().toISOString() });
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_discard_draft', { draft_id: victim })).toMatch(/does not carry this profile's draft tag/);
    expect(mutating()).toEqual([]);
    await h.deps.draftRegistry.remove(victim);
  });

  it('refuses an event draft id given to a mail tool', async () => {
    const e = await h.ok<{ event_id: string }>('ol_calendar_create_event_draft', { subject: 'Plan', start: '2026-12-10T09:00', end: '2026-12-10T10:00' });
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_discard_draft', { draft_id: e.event_id })).toMatch(/event draft, not a mail draft/);
    expect(mutating()).toEqual([]);
  });

  it('lists this profile drafts and recovers a lost registry from the tag', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { to: ['a@b.example'], subject: 'Listed', body: 'x' });
    const id = await h.idOf(d.draft_id);
    await h.deps.draftRegistry.remove(id);
    const l = await h.ok<{ drafts: Array<{ draft_id: string; ours: boolean }> }>('ol_email_list_drafts', {});
    expect(l.drafts.map((x) => x.draft_id)).toContain(d.draft_id);
    expect(l.drafts.every((x) => x.ours)).toBe(true);
    expect(l.drafts.some((x) => x.draft_id === SEED_IDS.draftMessage)).toBe(false);
    expect((await h.deps.draftRegistry.get(id))?.kind).toBe('mail');
    const all = await h.ok<{ drafts: Array<{ ours: boolean }> }>('ol_email_list_drafts', { profile_only: false });
    expect(all.drafts.some((x) => !x.ours)).toBe(true);
  });

  it('discards to Deleted Items, recoverable, and forgets the draft', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { to: ['a@b.example'], subject: 'Bin me', body: 'x' });
    const id = await h.idOf(d.draft_id);
    const r = await h.ok<{ note: string }>('ol_email_discard_draft', { draft_id: d.draft_id });
    expect(r.note).toMatch(/Deleted Items/);
    expect(message(id).parentFolderId).toBe(SEED_IDS.deletedItemsFolder);
    expect(await h.deps.draftRegistry.get(id)).toBeUndefined();
    expect(await h.fail('ol_email_discard_draft', { draft_id: d.draft_id })).toMatch(/not a draft this profile created/);
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('refuses to change a draft that was sent in the meantime', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { to: ['a@b.example'], subject: 'Sent by human', body: 'x' });
    message(await h.idOf(d.draft_id)).isDraft = false;
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_update_draft', { draft_id: d.draft_id, subject: 'y' })).toMatch(/no longer a draft/);
    expect(mutating()).toEqual([]);
  });
});

describe('attachments', () => {
  it('attaches a small file inline, a 5 MB file through an upload session without the bearer token, and refuses escapes', async () => {
    const downloads = path.join(h.stateDir, 'downloads');
    mkdirSync(downloads, { recursive: true });
    writeFileSync(path.join(downloads, 'small.txt'), 'hello');
    const big = Buffer.alloc(5 * 1024 * 1024 + 17, 7);
    writeFileSync(path.join(downloads, 'big.bin'), big);
    const outside = path.join(h.cacheDir, 'secret.txt');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, path.join(downloads, 'link.txt'));
    h.sandbox.clearLog();
    expect(await h.fail('ol_email_create_draft', { to: ['a@b.example'], subject: 's', body: 'b', attachments: [{ path: outside }] })).toMatch(/outside the folders/);
    expect(await h.fail('ol_email_create_draft', { to: ['a@b.example'], subject: 's', body: 'b', attachments: [{ path: path.join(downloads, 'link.txt') }] })).toMatch(/outside the folders/);
    expect(await h.fail('ol_email_create_draft', { to: ['a@b.example'], subject: 's', body: 'b', attachments: [{ path: path.join(downloads, '..', '..', 'x') }] })).toMatch(/does not exist|outside/);
    expect(h.sandbox.requests).toEqual([]);
    const d = await h.ok<Draft>('ol_email_create_draft', {
      to: ['a@b.example'],
      subject: 'files',
      body: 'b',
      attachments: [{ path: path.join(downloads, 'small.txt') }, { path: path.join(downloads, 'big.bin') }, { message_id: SEED_IDS.messageWithPdf, attachment_id: SEED_IDS.pdfAttachment }],
    });
    expect(d.attachments).toHaveLength(3);
    const m = message(await h.idOf(d.draft_id));
    expect(m.attachments.map((a) => a.size)).toEqual([5, big.length, expect.any(Number)]);
    expect(m.attachments[1]?.bytes.equals(big)).toBe(true);
    const puts = h.sandbox.requests.filter((r) => r.path.startsWith('/upload/'));
    expect(puts.length).toBe(2);
    expect(puts.every((r) => !r.hadAuthorization && r.status < 300)).toBe(true);
    const u = await h.ok<Draft>('ol_email_update_draft', { draft_id: d.draft_id, remove_attachments: ['small.txt'] });
    expect(u.subject).toBe('files');
    expect(m.attachments.map((a) => a.name)).not.toContain('small.txt');
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('copies a 3.4 MB attachment of another message through an upload session, bytes intact', async () => {
    const d = await h.ok<Draft>('ol_email_create_draft', { forward_of: SEED_IDS.messageWithPdf, to: ['a@b.example'], body: 'see attached' });
    h.sandbox.clearLog();
    const u = await h.ok<Draft>('ol_email_update_draft', { draft_id: d.draft_id, add_attachments: [{ message_id: SEED_IDS.messageWithLargeAttachment, attachment_id: SEED_IDS.largeAttachment, name: 'copy.zip' }] });
    expect(u.attachments).toEqual(['copy.zip']);
    const original = message(SEED_IDS.messageWithLargeAttachment).attachments[0];
    const copy = message(await h.idOf(d.draft_id)).attachments.find((a) => a.name === 'copy.zip');
    expect(copy?.bytes.equals(original?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect(h.sandbox.requests.some((r) => r.path.endsWith('/createUploadSession'))).toBe(true);
    expect(h.sandbox.requests.filter((r) => r.path.startsWith('/upload/')).every((r) => !r.hadAuthorization)).toBe(true);
    expect(h.sandbox.notifications).toEqual([]);
  });

  it('says which draft exists when an attachment fails after creation', async () => {
    const text = await h.fail('ol_email_create_draft', { to: ['a@b.example'], subject: 'partial', body: 'b', attachments: [{ message_id: SEED_IDS.messageWithPdf, attachment_id: SEED_IDS.csvAttachment }] });
    expect(text).toMatch(/Draft [a-z2-9]{8} was saved \(nothing was sent\), but attachments\[0\] could not be added.*ol_email_update_draft/);
  });
});
