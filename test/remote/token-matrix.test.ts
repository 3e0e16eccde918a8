/**
 * The protected resource: every bad token gets 401 (or 403 for a missing
 * scope) with a `WWW-Authenticate` challenge naming the metadata, the
 * well-known documents name Entra, Host/Origin checks stop DNS rebinding, and
 * the sandbox's Graph log proves that no incoming token ever reached Graph:
 * only tokens from the on-behalf-of exchange did.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { startRemote, type RemoteHarness } from '../helpers/remote-harness.js';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

let h: RemoteHarness;
const presented: string[] = [];

beforeAll(async () => {
  h = await startRemote({ env: { OUTLOOK_ALLOWED_ORIGINS: 'https://inspector.contoso.example' } });
});
afterAll(async () => h?.close());

/** POSTs an initialize to /mcp with `token` and returns status and challenge. */
async function post(token: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; challenge: string | null; body: string }> {
  if (token) presented.push(token);
  const r = await fetch(h.server.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'matrix', version: '1' } } }),
  });
  return { status: r.status, challenge: r.headers.get('www-authenticate'), body: await r.text() };
}

async function claimsToken(claims: Record<string, unknown>): Promise<string> {
  const sec = Math.floor(Date.now() / 1000);
  const user = h.team.users[0]!;
  return h.team.signWithSandboxKey({
    aud: h.team.serverApp.audience,
    iss: h.team.issuer(),
    tid: h.team.tenantId,
    oid: user.oid,
    scp: 'access_as_user',
    ver: '2.0',
    iat: sec,
    nbf: sec,
    exp: sec + 600,
    ...claims,
  });
}

describe('remote mode: token matrix', () => {
  it('a valid token is served, and Graph sees only the exchanged token', async () => {
    const token = await h.team.issueApiToken('avery');
    const c = await h.connect(token);
    presented.push(token);
    const r = await c.ok<{ messages: Array<{ subject: string }> }>('ol_email_list_unread', { limit: 3 });
    expect(r.messages.map((m) => m.subject)).toContain('Only for Avery Quinn: mailbox avery');
    const graph = h.sandbox.requests.filter((q) => q.path.startsWith('/v1.0/'));
    expect(graph.length).toBeGreaterThan(0);
    expect(graph.every((q) => q.bearerAudience === '00000003-0000-0000-c000-000000000000')).toBe(true);
    // The exchange happened at Entra, as the server app, with the person's token as assertion.
    expect(h.sandbox.identity!.requests.some((q) => q.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && q.clientId === h.team.serverApp.clientId && q.status === 200)).toBe(true);
  });

  it('no token, or another scheme: 401 with resource_metadata and scope, and no error code (RFC 6750 §3.1)', async () => {
    for (const headers of [{}, { authorization: 'Basic YXZlcnk6cGFzc3dvcmQ=' }] as Array<Record<string, string>>) {
      const r = await post(undefined, headers);
      expect(r.status).toBe(401);
      expect(r.challenge).toMatch(/^Bearer /);
      expect(r.challenge).toContain(`resource_metadata="${h.origin}/.well-known/oauth-protected-resource/mcp"`);
      expect(r.challenge).toContain(`scope="${h.team.serverApp.apiScope}"`);
      expect(r.challenge).not.toMatch(/error/);
      expect(r.body).not.toMatch(/invalid_token|Missing Authorization/);
    }
  });

  const cases: Array<[string, () => Promise<string>]> = [
    ['wrong audience', () => claimsToken({ aud: 'api://someone-else' })],
    ['a Graph token', async () => h.team.issueGraphToken('avery')],
    ['wrong issuer', () => claimsToken({ iss: 'https://login.microsoftonline.com/c0de5a4d-b0c5-4e11-9a7e-5a4db0c5c0de/v2.0' })],
    ['another tenant, signed by the same keys', () => h.team.issueApiToken('avery', { tenant: h.team.otherTenantId })],
    ['tid of ours but issuer of another tenant', () => claimsToken({ iss: h.team.issuer(h.team.otherTenantId) })],
    ['expired', () => h.team.issueApiToken('avery', { expiresIn: -600 })],
    ['not yet valid', () => claimsToken({ nbf: Math.floor(Date.now() / 1000) + 3600 })],
    ['a v1.0 token', () => claimsToken({ ver: '1.0' })],
    ['alg none', async () => new UnsecuredJWT({ aud: h.team.serverApp.audience, iss: h.team.issuer(), tid: h.team.tenantId, oid: 'x', scp: 'access_as_user', ver: '2.0', exp: Math.floor(Date.now() / 1000) + 600 }).encode()],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const jwk = h.team.jwks().keys[0]!;
        const secret = new TextEncoder().encode(JSON.stringify(jwk));
        const sec = Math.floor(Date.now() / 1000);
        return new SignJWT({ aud: h.team.serverApp.audience, iss: h.team.issuer(), tid: h.team.tenantId, oid: h.team.users[0]!.oid, scp: 'access_as_user', ver: '2.0', iat: sec, exp: sec + 600 })
          .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
          .sign(secret);
      },
    ],
    [
      'an unknown kid (an attacker key)',
      async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const sec = Math.floor(Date.now() / 1000);
        return new SignJWT({ aud: h.team.serverApp.audience, iss: h.team.issuer(), tid: h.team.tenantId, oid: h.team.users[0]!.oid, scp: 'access_as_user', ver: '2.0', iat: sec, exp: sec + 600 })
          .setProtectedHeader({ alg: 'RS256', kid: 'attacker' })
          .sign(privateKey);
      },
    ],
    ['a forged signature', async () => (await h.team.issueApiToken('avery')).replace(/.{8}$/, 'AAAAAAAA')],
    ['not a JWT', async () => 'opaque-token-value'],
  ];

  it.each(cases)('%s: 401 invalid_token', async (_name, make) => {
    const r = await post(await make());
    expect(r.status).toBe(401);
    expect(r.challenge).toMatch(/^Bearer /);
    expect(r.challenge).toContain('error="invalid_token"');
    expect(r.challenge).toContain('resource_metadata=');
  });

  it('a token without the API scope: 403 insufficient_scope', async () => {
    const r = await post(await claimsToken({ scp: 'User.Read' }));
    expect(r.status).toBe(403);
    expect(r.challenge).toContain('error="insufficient_scope"');
    expect(r.challenge).toContain(`scope="${h.team.serverApp.apiScope}"`);
  });

  it('the Graph log holds no incoming token: none of the presented tokens, no token for our API', () => {
    const graph = h.sandbox.requests;
    expect(presented.length).toBeGreaterThan(cases.length);
    const presentedHashes = new Set(presented.map(sha));
    expect(graph.filter((q) => q.bearerSha256 && presentedHashes.has(q.bearerSha256))).toEqual([]);
    expect(graph.filter((q) => q.bearerAudience === h.team.serverApp.audience || q.bearerAudience === `api://${h.team.serverApp.clientId}`)).toEqual([]);
  });
});

describe('remote mode: discovery and probes', () => {
  it('serves RFC 9728 metadata at the path-aware and the root well-known URL, naming Entra', async () => {
    for (const p of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const r = await fetch(`${h.origin}${p}`);
      expect(r.status).toBe(200);
      const doc = (await r.json()) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
      expect(doc.resource).toBe(`${h.origin}/mcp`);
      expect(doc.authorization_servers).toEqual([h.team.issuer()]);
      expect(doc.scopes_supported).toEqual([h.team.serverApp.apiScope]);
    }
  });

  it('healthz and readyz answer; readyz fails when the tenant keys cannot be fetched', async () => {
    expect((await fetch(`${h.origin}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.origin}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin, allows a listed Origin', async () => {
    const raw = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(`${h.origin}/healthz`);
        const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await raw({ host: 'attacker.example:80' })).toBe(403);
    expect(await raw({ origin: 'https://attacker.example' })).toBe(403);
    expect(await raw({ origin: 'null' })).toBe(403);
    expect(await raw({ origin: 'https://inspector.contoso.example' })).toBe(200);
    expect(await raw({})).toBe(200);
  });

  it('refuses a tools/call naming the prototype machinery, as stdio does', async () => {
    const token = await h.team.issueApiToken('avery');
    presented.push(token);
    const r = await fetch(h.server.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-11-25' },
      body: '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ol_email_list_unread","arguments":{"__proto__":{"limit":1}}}}',
    });
    const body = (await r.json()) as { error?: { code: number; message: string } };
    expect(body.error?.code).toBe(-32602);
    expect(body.error?.message).toContain('__proto__');
  });
});
