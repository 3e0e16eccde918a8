/**
 * The sandbox as Entra for remote mode, checked on its own: OpenID metadata
 * and JWKS at Entra's paths, code + PKCE that refuses a wrong verifier and a
 * reused code, the OBO exchange's own refusals, and a Graph that refuses a
 * token for the API (and logs what it saw).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startSandbox, type Sandbox, type TeamIdentity } from '../../src/sandbox/index.js';

let sb: Sandbox;
let team: TeamIdentity;
beforeAll(async () => {
  sb = await startSandbox({ team: true });
  team = sb.identity!.team!;
});
afterAll(async () => sb?.close());

const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o) });
const tokenUrl = () => `${sb.origin}/${team.tenantId}/oauth2/v2.0/token`;

async function authorize(user: string, challenge: string): Promise<string> {
  const q = new URLSearchParams({ client_id: 'c1', response_type: 'code', redirect_uri: 'http://127.0.0.1/cb', scope: team.serverApp.apiScope, code_challenge: challenge, code_challenge_method: 'S256', login_hint: user, state: 's' });
  const r = await fetch(`${sb.origin}/${team.tenantId}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
  expect(r.status).toBe(302);
  const loc = new URL(r.headers.get('location')!);
  expect(loc.searchParams.get('state')).toBe('s');
  return loc.searchParams.get('code')!;
}

describe('sandbox Entra (team mode)', () => {
  it('publishes OpenID metadata and a JWKS that verifies its API tokens', async () => {
    const meta = (await (await fetch(`${sb.origin}/${team.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(meta.issuer).toBe(team.issuer());
    expect(meta.authorization_endpoint).toBe(`${sb.origin}/${team.tenantId}/oauth2/v2.0/authorize`);
    const jwks = (await (await fetch(meta.jwks_uri!)).json()) as { keys: Array<Record<string, string>> };
    const token = await team.issueApiToken('casey');
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: team.issuer(), audience: team.serverApp.audience });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.preferred_username).toBe('casey@contoso.example');
  });

  it('has no RFC 8414 metadata, as Entra: the probes MCP clients try first get 404 and are logged as sign-in traffic, not Graph', async () => {
    const graphBefore = sb.requests.length;
    for (const p of [`/.well-known/oauth-authorization-server/${team.tenantId}/v2.0`, `/.well-known/openid-configuration/${team.tenantId}/v2.0`]) {
      const r = await fetch(`${sb.origin}${p}`);
      await r.body?.cancel();
      expect(r.status, p).toBe(404);
      expect(sb.identity!.requests.at(-1)).toMatchObject({ path: p, endpoint: 'other', status: 404 });
    }
    expect(sb.requests.length).toBe(graphBefore);
  });

  it('logs what an authorization request asked for (client, PKCE method, redirect URI, login_hint) and a page\'s Origin', async () => {
    await authorize('casey', 'x'.repeat(43));
    expect(sb.identity!.requests.at(-1)).toMatchObject({ endpoint: 'authorize', clientId: 'c1', codeChallengeMethod: 'S256', redirectUri: 'http://127.0.0.1/cb', loginHint: 'casey', status: 302 });
    expect(sb.identity!.requests.at(-1)!.origin).toBeUndefined();
    // A page redeeming a code itself sends its Origin (what Entra allows only for single-page-app redirect URIs): logged.
    const r = await fetch(tokenUrl(), { ...form({ grant_type: 'authorization_code', client_id: 'c1', code: 'none' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:6274' } });
    await r.body?.cancel();
    expect(sb.identity!.requests.at(-1)).toMatchObject({ grantType: 'authorization_code', origin: 'http://127.0.0.1:6274' });
  });

  it('code + PKCE: the right verifier gets a token for the person in login_hint; a wrong verifier or a reused code is refused', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await authorize('blake', challenge);
    const bad = await fetch(tokenUrl(), form({ grant_type: 'authorization_code', client_id: 'c1', code, redirect_uri: 'http://127.0.0.1/cb', code_verifier: 'wrong' }));
    expect(((await bad.json()) as { error_codes: number[] }).error_codes).toEqual([501481]);
    const code2 = await authorize('blake', challenge);
    const ok = await fetch(tokenUrl(), form({ grant_type: 'authorization_code', client_id: 'c1', code: code2, redirect_uri: 'http://127.0.0.1/cb', code_verifier: verifier }));
    const body = (await ok.json()) as { access_token: string };
    expect(JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()).oid).toBe(team.users.find((u) => u.name === 'blake')!.oid);
    const again = await fetch(tokenUrl(), form({ grant_type: 'authorization_code', client_id: 'c1', code: code2, redirect_uri: 'http://127.0.0.1/cb', code_verifier: verifier }));
    expect(((await again.json()) as { error_codes: number[] }).error_codes).toEqual([70008]);
  });

  it('OBO refuses a wrong secret, a token for another API and a forged assertion; a good one gets a Graph token for the same person', async () => {
    const obo = (assertion: string, secret = team.serverApp.clientSecret) =>
      fetch(tokenUrl(), form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: team.serverApp.clientId, client_secret: secret, assertion, scope: 'https://graph.microsoft.com/Mail.Read', requested_token_use: 'on_behalf_of' })).then(
        async (r) => (await r.json()) as { error_codes?: number[]; access_token?: string },
      );
    const good = await team.issueApiToken('avery');
    expect((await obo(good, 'wrong')).error_codes).toEqual([7000215]);
    expect((await obo(await team.issueApiToken('avery', { audience: 'api://other' }))).error_codes).toEqual([500131]);
    expect((await obo(team.issueGraphToken('avery'))).error_codes).toEqual([50013]);
    expect((await obo(await team.issueApiToken('avery', { expiresIn: -60 }))).error_codes).toEqual([500133]);
    const r = await obo(good);
    const claims = JSON.parse(Buffer.from(r.access_token!.split('.')[1]!, 'base64url').toString()) as { aud: string; oid: string; scp: string };
    expect(claims.aud).toBe('00000003-0000-0000-c000-000000000000');
    expect(claims.oid).toBe(team.users[0]!.oid);
    expect(claims.scp).toBe('Mail.Read');
    // A permission the admin never granted the server app is a consent error.
    const notGranted = await fetch(tokenUrl(), form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: team.serverApp.clientId, client_secret: team.serverApp.clientSecret, assertion: good, scope: 'https://graph.microsoft.com/Files.Read.All', requested_token_use: 'on_behalf_of' }));
    expect(((await notGranted.json()) as { error_codes: number[] }).error_codes).toEqual([65001]);
  });

  it("Graph refuses a token for the API and logs its audience; each person's token reads their own mailbox", async () => {
    sb.clearLog();
    const api = await team.issueApiToken('avery');
    const refused = await fetch(`${sb.url}/me/messages?$top=1`, { headers: { authorization: `Bearer ${api}` } });
    expect(refused.status).toBe(401);
    expect(sb.requests[0]).toMatchObject({ status: 401, bearerAudience: team.serverApp.audience, bearerSha256: createHash('sha256').update(api).digest('hex') });
    for (const name of ['avery', 'blake', 'casey']) {
      const r = await fetch(`${sb.url}/me`, { headers: { authorization: `Bearer ${team.issueGraphToken(name)}` } });
      expect(((await r.json()) as { userPrincipalName: string }).userPrincipalName).toBe(`${name === 'avery' ? 'avery.quinn' : name}@contoso.example`);
    }
  });
});
