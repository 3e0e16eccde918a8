/** ol_people_search through a real MCP client against the sandbox, and its fallback to recent mail. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from '../helpers/harness.js';

interface People {
  people: Array<{ name: string; address?: string; job_title?: string; company?: string; kind?: string }>;
  source: string;
  note?: string;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sandbox.clearLog());

describe('ol_people_search', () => {
  it('finds Anna by part of her name with one People request', async () => {
    const r = await h.ok<People>('ol_people_search', { query: 'ann' });
    expect(r.source).toBe('people');
    expect(r.people[0]).toEqual({ name: 'Anna Schmidt', address: 'anna.schmidt@contoso.example', job_title: 'Account Manager', company: 'Contoso Consulting GmbH', kind: 'colleague' });
    expect(h.sandbox.requests).toHaveLength(1);
    expect(h.sandbox.requests[0]).toMatchObject({ method: 'GET', path: '/v1.0/me/people', query: { $search: '"ann"', $top: '10' } });
    expect(textOf(await h.call('ol_people_search', { query: 'schmidt' }))).toContain('Anna Schmidt <anna.schmidt@contoso.example> | Account Manager, Contoso Consulting GmbH, colleague');
  });

  it('keeps relevance order, and matches accents and addresses', async () => {
    const fabrikam = await h.ok<People>('ol_people_search', { query: 'fabrikam', limit: 5 });
    expect(fabrikam.people.map((p) => p.name)).toEqual(['Marcus Webb', 'Greta Lindqvist', 'Yuki Tanaka']);
    expect((await h.ok<People>('ol_people_search', { query: 'tomas' })).people.map((p) => p.name)).toEqual(['Tomás Herrera']);
    expect((await h.ok<People>('ol_people_search', { query: 'nobody-like-this' })).people).toEqual([]);
  });

  it('refuses a query with nothing to search', async () => {
    expect(await h.fail('ol_people_search', { query: '""' })).toContain('give part of a name or an address');
  });
});

describe('ol_people_search without People access', () => {
  let sp: Harness;
  // App-only tokens here hold Mail.Read but no People.Read.All: Graph answers 403 and the tool falls back to mail.
  beforeEach(async () => {
    sp = await startHarness({ env: { OUTLOOK_CLIENT_ID: 'app-1', OUTLOOK_TENANT_ID: '0e5a4d00-aaaa-4bbb-8ccc-0123456789ab', OUTLOOK_CLIENT_SECRET: 'sandbox-secret', OUTLOOK_MAILBOX: 'avery.quinn@contoso.example' } });
  });
  afterEach(async () => {
    await sp.close();
  });

  it('answers from recent correspondents and says why', async () => {
    const r = await sp.ok<People>('ol_people_search', { query: 'marcus' });
    expect(r.source).toBe('recent mail');
    expect(r.note).toContain('403');
    expect(r.people[0]).toEqual({ name: 'Marcus Webb', address: 'marcus.webb@fabrikam.example' });
    const paths = sp.sandbox.requests.filter((q) => q.path.includes('/people') || q.path.endsWith('/messages')).map((q) => `${q.status} ${q.path.replace(/\/users\/[^/]+/, '/users/{mailbox}')}`);
    expect(paths[0]).toBe('403 /v1.0/users/{mailbox}/people');
    expect(paths.slice(1).every((p) => p === '200 /v1.0/users/{mailbox}/messages')).toBe(true);
    expect(sp.sandbox.requests.find((q) => q.path.endsWith('/messages'))?.query.$search).toBe('"participants:\\"marcus\\""');
  });
});
