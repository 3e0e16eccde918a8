/**
 * The bearer check remembers a verified token (remote mode): the same token is not verified again
 * within its reuse window, yet nothing a token could not pass before passes now. The tenant's JWKS is
 * served by a loopback server here, counting how often it is fetched; the tokens are real RS256 JWTs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpConfig } from '../../src/config/config.js';
import { EntraTokenVerifier, VERIFIED_TOKEN_REUSE_MS } from '../../src/remote/token-verifier.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const AUD = 'api-client-id';
let server: Server;
let authority: string;
let privateKey: CryptoKey;
let jwksFetches = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));
afterEach(() => vi.useRealTimers());

const http = (): HttpConfig => ({
  host: '127.0.0.1',
  port: 0,
  publicUrl: 'http://127.0.0.1:1',
  allowedOriginHosts: [],
  allowedTenants: [TENANT],
  apiScope: `api://${AUD}/access_as_user`,
  audiences: [AUD],
  stateSecret: 'x'.repeat(40),
  rateLimitPerMinute: 0,
  legacyClients: 'stateless',
});

function token(lifetimeSeconds: number, claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: TENANT, oid: 'oid-1', scp: 'access_as_user', ver: '2.0', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(`${authority}/${TENANT}/v2.0`)
    .setAudience(AUD)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(privateKey);
}

describe('EntraTokenVerifier: verified tokens are reused, never past what they could pass', () => {
  it('verifies a token once, then answers the same caller from memory; another token is verified on its own', async () => {
    const v = new EntraTokenVerifier(http(), authority);
    const t = await token(3600);
    const first = await v.verifyAccessToken(t);
    const verify = vi.spyOn(v as unknown as { verify: (t: string) => Promise<unknown> }, 'verify');
    const again = await v.verifyAccessToken(t);
    expect(again).toEqual(first);
    expect(verify).not.toHaveBeenCalled();
    // A caller mutating its copy does not change what the next call gets.
    again.scopes.push('api://evil/admin');
    expect((await v.verifyAccessToken(t)).scopes).toEqual(first.scopes);
    const other = await token(3600, { oid: 'oid-2' });
    await expect(v.verifyAccessToken(other)).resolves.toMatchObject({ token: other });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(jwksFetches).toBe(1);
  });

  it('checks a token again after the reuse window, and refuses it once it has expired', async () => {
    const v = new EntraTokenVerifier(http(), authority);
    const long = await token(3600);
    const short = await token(90);
    await v.verifyAccessToken(long);
    await v.verifyAccessToken(short);
    const verify = vi.spyOn(v as unknown as { verify: (t: string) => Promise<unknown> }, 'verify');
    vi.useFakeTimers({ now: Date.now() + VERIFIED_TOKEN_REUSE_MS + 1000, toFake: ['Date'] });
    await v.verifyAccessToken(long);
    expect(verify).toHaveBeenCalledTimes(1);
    // 90 s + 60 s clock tolerance are over: remembered or not, the expired token is refused.
    await expect(v.verifyAccessToken(short)).rejects.toThrow(/expired/);
  });

  it('a token that failed is not remembered as good: a wrong audience fails every time', async () => {
    const v = new EntraTokenVerifier(http(), authority);
    const wrong = await new SignJWT({ tid: TENANT, oid: 'o', scp: 'access_as_user', ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`${authority}/${TENANT}/v2.0`)
      .setAudience('https://graph.microsoft.com')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    for (let i = 0; i < 2; i++) await expect(v.verifyAccessToken(wrong)).rejects.toThrow(/refused \(aud\)/);
  });
});
