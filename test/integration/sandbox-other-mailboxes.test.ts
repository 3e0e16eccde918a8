/**
 * Other people's mailboxes in the sandbox (support@, morgan.delegator@, riley.private@) for a whole team
 * (`sandbox --json`): one mailbox per address, shared by everyone who may open it; what each person may
 * open is their own grant, checked on every request for the person the token stands for, with the 403
 * Graph gives; a delegated token needs the `.Shared` permissions there and never reads another person's
 * mailboxSettings. The ready token reads `userPurpose` (shared vs a person's own). Straight HTTP against
 * the sandbox, tokens from its identity endpoint (OBO, as a remote server gets them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type TeamIdentity } from '../../src/sandbox/index.js';
import { teamSummary } from '../../src/cli/sandbox-team.js';

const SUPPORT = 'support@contoso.example';
const MORGAN = 'morgan.delegator@contoso.example';
const RILEY = 'riley.private@contoso.example';

let sb: Sandbox;
let team: TeamIdentity;
beforeAll(async () => {
  sb = await startSandbox({ team: true });
  team = sb.identity!.team!;
});
afterAll(async () => sb?.close());

/** A delegated Graph token for `user` with exactly `scopes`, the way the remote server gets one (on behalf of). */
async function graphToken(user: string, scopes: string[]): Promise<string> {
  const assertion = await team.issueApiToken(user);
  const r = await fetch(`${sb.origin}/${team.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      client_id: team.serverApp.clientId,
      client_secret: team.serverApp.clientSecret,
      assertion,
      scope: scopes.map((s) => `https://graph.microsoft.com/${s}`).join(' '),
      requested_token_use: 'on_behalf_of',
    }),
  });
  const body = (await r.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no token for ${user}: ${body.error_description}`);
  return body.access_token;
}

async function graph(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, json: (await r.json().catch(() => ({}))) as Record<string, unknown> };
}

const SHARED = ['User.Read', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared', 'Calendars.Read.Shared'];
const codeOf = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;
const window = `startDateTime=2020-01-01T00:00:00Z&endDateTime=2040-01-01T00:00:00Z&$top=1`;

describe('other mailboxes in a team sandbox', () => {
  it('sandbox --json lists them with who may open each', () => {
    expect(teamSummary(sb).other_mailboxes).toEqual([
      { upn: SUPPORT, purpose: 'shared', access: { avery: 'full', blake: 'full', casey: 'none' } },
      { upn: MORGAN, purpose: 'user', access: { avery: 'calendar', blake: 'full', casey: 'none' } },
      { upn: RILEY, purpose: 'user', access: { avery: 'none', blake: 'none', casey: 'none' } },
    ]);
  });

  it('grants are per person: Blake and Avery open support@, Casey gets the 403 Graph gives, on every request', async () => {
    const [avery, blake, casey] = await Promise.all(['avery', 'blake', 'casey'].map((u) => graphToken(u, SHARED)));
    for (const t of [avery, blake] as string[]) expect((await graph(t, 'GET', `/users/${SUPPORT}/messages?$top=1`)).status).toBe(200);
    const refused = await graph(casey as string, 'GET', `/users/${SUPPORT}/messages?$top=1`);
    expect(refused.status).toBe(403);
    expect(codeOf(refused)).toBe('ErrorAccessDenied');
    // Checked per request, not per mailbox state: Blake's access does not open it for Casey afterwards.
    expect((await graph(casey as string, 'POST', `/users/${SUPPORT}/messages`, { subject: 'Casey tries' })).status).toBe(403);
    expect(sb.requests.filter((r) => r.method === 'POST' && r.status < 400)).toEqual([]);
  });

  it('one support@ mailbox for the team: a draft Blake makes there is what Avery lists', async () => {
    const [avery, blake] = await Promise.all(['avery', 'blake'].map((u) => graphToken(u, SHARED)));
    const made = await graph(blake as string, 'POST', `/users/${SUPPORT}/messages`, { subject: 'Made by Blake in support' });
    expect(made.status).toBe(201);
    const listed = await graph(avery as string, 'GET', `/users/${SUPPORT}/mailFolders/drafts/messages?$select=subject&$top=100`);
    expect((listed.json.value as Array<{ subject: string }>).map((m) => m.subject)).toContain('Made by Blake in support');
    // …and it is nobody's own mailbox.
    const own = await graph(avery as string, 'GET', `/me/mailFolders/drafts/messages?$select=subject&$top=100`);
    expect((own.json.value as Array<{ subject: string }>).map((m) => m.subject)).not.toContain('Made by Blake in support');
  });

  it("Morgan's calendar: Avery (calendar delegate) reads it but not her mail; Blake (full delegate) reads both; Casey neither", async () => {
    const [avery, blake, casey] = (await Promise.all(['avery', 'blake', 'casey'].map((u) => graphToken(u, SHARED)))) as string[];
    expect((await graph(avery!, 'GET', `/users/${MORGAN}/calendarView?${window}`)).status).toBe(200);
    expect((await graph(avery!, 'GET', `/users/${MORGAN}/messages?$top=1`)).status).toBe(403);
    expect((await graph(blake!, 'GET', `/users/${MORGAN}/messages?$top=1`)).status).toBe(200);
    expect((await graph(casey!, 'GET', `/users/${MORGAN}/calendarView?${window}`)).status).toBe(403);
    for (const t of [avery!, blake!]) expect((await graph(t, 'GET', `/users/${RILEY}/messages?$top=1`)).status).toBe(403);
  });

  it('a delegated token needs the .Shared permissions in another mailbox, and never reads its mailboxSettings', async () => {
    const plain = await graphToken('blake', ['User.Read', 'Mail.Read', 'Calendars.Read', 'MailboxSettings.Read']);
    const noShared = await graph(plain, 'GET', `/users/${SUPPORT}/messages?$top=1`);
    expect([noShared.status, codeOf(noShared)]).toEqual([403, 'ErrorAccessDenied']);
    expect((await graph(plain, 'GET', '/me/messages?$top=1')).status).toBe(200);
    const withShared = await graphToken('blake', [...SHARED, 'MailboxSettings.Read']);
    expect((await graph(withShared, 'GET', `/users/${SUPPORT}/mailboxSettings`)).status).toBe(403);
    expect((await graph(withShared, 'GET', '/me/mailboxSettings')).status).toBe(200);
  });

  it('the ready token reads userPurpose: support@ is shared, Morgan is a person; Riley stays refused', async () => {
    const ready = sb.token;
    expect((await graph(ready, 'GET', `/users/${SUPPORT}/mailboxSettings?$select=userPurpose`)).json.userPurpose).toBe('shared');
    expect((await graph(ready, 'GET', `/users/${MORGAN}/mailboxSettings?$select=userPurpose`)).json.userPurpose).toBe('user');
    expect((await graph(ready, 'GET', `/users/${RILEY}/mailboxSettings`)).status).toBe(403);
  });
});

describe('grants given to the sandbox', () => {
  it('override the defaults for one person, per mailbox', async () => {
    const own = await startSandbox({ grants: { avery: { riley: 'full', support: 'none' } } });
    try {
      const get = (who: string) => fetch(`${own.url}/users/${who}/messages?$top=1`, { headers: { authorization: `Bearer ${own.token}` } }).then((r) => r.status);
      // Keyed by the mailbox's local part: `riley` is no mailbox, so Riley stays refused; support@ is now closed.
      expect(await get(RILEY)).toBe(403);
      expect(await get(SUPPORT)).toBe(403);
    } finally {
      await own.close();
    }
    const opened = await startSandbox({ grants: { avery: { 'riley.private': 'full' } } });
    try {
      const r = await fetch(`${opened.url}/users/${RILEY}/messages?$top=1`, { headers: { authorization: `Bearer ${opened.token}` } });
      expect(r.status).toBe(200);
    } finally {
      await opened.close();
    }
  });
});
