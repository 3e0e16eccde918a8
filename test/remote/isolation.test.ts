/**
 * Per-user isolation on one replica: three people calling at once each see
 * only their own mailbox; one person's handles, cursors and drafts are
 * refused for another; state, audit lines and approval keys are namespaced
 * by the keyed user hash; the OBO cache is per assertion; and each OBO
 * failure Entra can give becomes a tool error that says what to do.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemote, subjectsOf, type RemoteHarness } from '../helpers/remote-harness.js';
import { textOf } from '../helpers/harness.js';
import { approvalKeyOf, userKeyOf } from '../../src/remote/user-key.js';
import { userStateDir } from '../../src/remote/users.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let h: RemoteHarness;

beforeAll(async () => {
  h = await startRemote({ env: { OUTLOOK_ALLOW_DRAFTS: 'true' } });
});
afterAll(async () => h?.close());

const secret = () => h.config.http!.stateSecret;
const keyOf = (name: string) => {
  const u = h.team.users.find((x) => x.name === name)!;
  return userKeyOf(secret(), { tenantId: h.team.tenantId, objectId: u.oid });
};
const marker = (name: string) => {
  const u = h.team.users.find((x) => x.name === name)!;
  return `Only for ${u.displayName}: mailbox ${name}`;
};

describe('remote mode: per-user isolation on one replica', () => {
  it('3 users x several concurrent mixed calls (both eras): each sees only their own mailbox', async () => {
    const names = h.team.users.map((u) => u.name);
    expect(names).toHaveLength(3);
    const clients = await Promise.all(names.flatMap((n) => [h.connectAs(n, 'legacy'), h.connectAs(n, 'modern')]));
    const rounds = await Promise.all(
      clients.map(async (c, i) => {
        const name = names[Math.floor(i / 2)]!;
        const seen: string[] = [];
        for (let k = 0; k < 4; k++) {
          const unread = await c.call('ol_email_list_unread', { limit: 3 });
          expect(unread.isError, textOf(unread)).toBeFalsy();
          seen.push(...subjectsOf(unread));
          const search = await c.call('ol_email_search', { query: 'Only for' });
          seen.push(textOf(search));
          const status = await c.call('ol_status', {});
          seen.push(textOf(status));
        }
        return { name, text: seen.join('\n') };
      }),
    );
    for (const { name, text } of rounds) {
      expect(text).toContain(marker(name));
      for (const other of names.filter((n) => n !== name)) expect(text).not.toContain(marker(other));
    }
    // Graph served each mailbox only with a token of its owner: the on-behalf-of token's person is the mailbox.
    const upns = new Set(h.sandbox.requests.map((q) => q.mailbox));
    expect([...upns].sort()).toEqual(h.team.users.map((u) => u.upn).sort());
  });

  it("refuses one person's message handle, cursor and draft for another", async () => {
    const avery = await h.connectAs('avery');
    const blake = await h.connectAs('blake');
    const list = await avery.ok<{ messages: Array<{ id: string; subject: string }>; next_cursor?: string }>('ol_email_list_unread', { limit: 1 });
    const mine = list.messages.find((m) => m.subject === marker('avery'))!;
    expect(mine).toBeTruthy();
    expect(await avery.ok('ol_email_read', { id: mine.id })).toBeTruthy();
    const handleRefusal = await blake.fail('ol_email_read', { id: mine.id });
    expect(handleRefusal).not.toContain(marker('avery'));
    expect(list.next_cursor).toBeTruthy();
    const cursorRefusal = await blake.fail('ol_email_list_unread', { cursor: list.next_cursor });
    expect(cursorRefusal).toMatch(/cursor/i);

    const draft = await avery.ok<{ draft_id: string }>('ol_email_create_draft', { to: ['x@fabrikam.example'], subject: 'Avery private draft', body: 'hello' });
    const draftRefusal = await blake.fail('ol_email_update_draft', { draft_id: draft.draft_id, subject: 'taken over' });
    expect(draftRefusal).not.toContain('Avery private draft');
    const blakeDrafts = await blake.call('ol_email_list_drafts', {});
    expect(textOf(blakeDrafts)).not.toContain('Avery private draft');
    // The draft is still Avery's, unchanged.
    const averyMailbox = h.sandbox.mailboxOf('avery')!;
    expect(averyMailbox.messages.find((m) => m.subject === 'Avery private draft')).toBeTruthy();
    expect(averyMailbox.messages.find((m) => m.subject === 'taken over')).toBeUndefined();
    expect(h.sandbox.mailboxOf('blake')!.messages.find((m) => m.subject === 'Avery private draft')).toBeUndefined();
  });

  it('namespaces state and audit lines by the keyed user hash; approval keys differ per user and are derived, not stored', () => {
    const dirs = readdirSync(path.join(h.cacheDir, '@remote'));
    expect(dirs).toEqual(expect.arrayContaining([keyOf('avery'), keyOf('blake')]));
    for (const d of dirs) expect(d).toMatch(/^[0-9a-f]{64}$/);
    // No raw object id or UPN names any folder.
    for (const u of h.team.users) expect(dirs.join(' ')).not.toContain(u.oid);
    const averyAudit = path.join(userStateDir(h.config, keyOf('avery')), 'audit.jsonl');
    expect(existsSync(averyAudit)).toBe(true);
    expect(readFileSync(averyAudit, 'utf8')).toContain('draft.create');
    const blakeAudit = path.join(userStateDir(h.config, keyOf('blake')), 'audit.jsonl');
    expect(existsSync(blakeAudit) ? readFileSync(blakeAudit, 'utf8') : '').not.toContain('draft.create');
    expect(existsSync(path.join(userStateDir(h.config, keyOf('avery')), 'approval.key'))).toBe(false);
    const a = Buffer.from(approvalKeyOf(secret(), keyOf('avery'))).toString('hex');
    const b = Buffer.from(approvalKeyOf(secret(), keyOf('blake'))).toString('hex');
    expect(a).not.toBe(b);
    expect(Buffer.from(approvalKeyOf(secret(), keyOf('avery'))).toString('hex')).toBe(a);
  });
});

describe('remote mode: on-behalf-of', () => {
  it('exchanges once per incoming token (the cache is partitioned per assertion), again for a new token', async () => {
    const obo = () => h.sandbox.identity!.requests.filter((q) => q.grantType === JWT_BEARER && q.status === 200).length;
    const before = obo();
    const c = await h.connectAs('casey');
    for (let i = 0; i < 4; i++) await c.ok('ol_email_list_unread', { limit: 2 });
    expect(obo() - before).toBe(1);
    const again = await h.connectAs('casey');
    await again.ok('ol_email_list_unread', { limit: 2 });
    expect(obo() - before).toBe(2);
  });

  it.each([
    ['consent_required', /admin consent/i, 'AADSTS65001'],
    ['interaction_required', /Conditional Access/i, 'AADSTS50076'],
    ['wrong_audience', /sign(s)? in again for the scope/i, 'AADSTS500131'],
  ] as const)('%s becomes a tool error that says what to do', async (failure, advice, code) => {
    const c = await h.connectAs('blake');
    h.sandbox.identity!.inject({ failure, on: 'on_behalf_of' });
    const graphBefore = h.sandbox.requests.length;
    const text = await c.fail('ol_email_list_unread', { limit: 1 });
    expect(text).toMatch(advice);
    expect(text).toContain(code);
    // Nothing reached Graph for that call.
    expect(h.sandbox.requests.length).toBe(graphBefore);
    // The next call, with the failure gone, works.
    await c.ok('ol_email_list_unread', { limit: 1 });
  });

  it('a wrong server secret is reported as the operator’s configuration problem', async () => {
    const other = await startRemote({ env: { OUTLOOK_CLIENT_SECRET: 'not-the-secret' } });
    try {
      const c = await other.connectAs('avery');
      const text = await c.fail('ol_email_list_unread', { limit: 1 });
      expect(text).toContain('AADSTS7000215');
      expect(text).toMatch(/server configuration problem/);
      // Without Entra's keys no request can be authenticated: /readyz says so (and /healthz still answers).
      await other.sandbox.close();
      const ready = await fetch(`${other.origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not ready', failed: [`signing keys of tenant ${other.team.tenantId}`] });
      expect((await fetch(`${other.origin}/healthz`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
