/**
 * A real OAuth client, the SDK's own: its `OAuthClientProvider` with a
 * pre-registered client id discovers the authorization server from our 401
 * (RFC 9728 metadata naming Entra), runs authorization code + PKCE against
 * the sandbox's Entra (the "browser" follows the redirect, `login_hint`
 * picks the person), and then calls a tool over HTTP, in both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, UnauthorizedError, type OAuthClientProvider, type OAuthDiscoveryState, type StoredOAuthTokens } from '@modelcontextprotocol/client';
import { eraOptions, startRemote, subjectsOf, type Era, type RemoteHarness } from '../helpers/remote-harness.js';
import { toolCallers } from '../helpers/harness.js';

/** VS Code's well-known client id; any pre-registered public client works the same way. */
const PUBLIC_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

/** An interactive client's provider; `redirectToAuthorization` only remembers where the browser would go. */
class PreRegisteredClient implements OAuthClientProvider {
  saved?: StoredOAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  constructor(private readonly loginHint: string) {}
  get redirectUrl() {
    return 'http://127.0.0.1:33418/callback';
  }
  get clientMetadata() {
    return { client_name: 'remote-test', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return { client_id: PUBLIC_CLIENT_ID };
  }
  tokens() {
    return this.saved;
  }
  saveTokens(t: StoredOAuthTokens) {
    this.saved = t;
  }
  redirectToAuthorization(url: URL) {
    // The person types their name on Entra's page; the sandbox takes it as login_hint.
    url.searchParams.set('login_hint', this.loginHint);
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  private discovery?: OAuthDiscoveryState;
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

let h: RemoteHarness;
beforeAll(async () => {
  h = await startRemote();
});
afterAll(async () => h?.close());

describe.each<Era>(['legacy', 'modern'])('remote mode: the SDK OAuth client (%s era)', (era) => {
  it('completes code + PKCE against the sandbox Entra and calls a tool as that person', async () => {
    const user = era === 'legacy' ? 'blake' : 'casey';
    const provider = new PreRegisteredClient(user);
    const first = new Client({ name: 'oauth-test', version: '1.0.0' }, eraOptions(era));
    const transport = new StreamableHTTPClientTransport(h.server.mcpUrl, { authProvider: provider });
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const authUrl = provider.authorizationUrl as URL;
    expect(authUrl.origin).toBe(h.sandbox.origin);
    expect(authUrl.pathname).toBe(`/${h.team.tenantId}/oauth2/v2.0/authorize`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('scope')).toContain(h.team.serverApp.apiScope);
    // RFC 8707: the client names our MCP endpoint as the resource (Entra v2 matches it against the scope's App ID URI).
    expect(authUrl.searchParams.get('resource')).toBe(h.server.mcpUrl.href);

    // The browser: Entra signs the person in and redirects back with a code.
    const redirect = await fetch(authUrl, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const callback = new URL(redirect.headers.get('location') as string);
    expect(callback.searchParams.get('code')).toBeTruthy();
    await transport.finishAuth(callback.searchParams);
    expect(provider.saved?.access_token).toBeTruthy();

    const client = new Client({ name: 'oauth-test', version: '1.0.0' }, eraOptions(era));
    await client.connect(new StreamableHTTPClientTransport(h.server.mcpUrl, { authProvider: provider }));
    const { call } = toolCallers(client);
    const r = await call('ol_email_list_unread', { limit: 5 });
    expect(r.isError).toBeFalsy();
    const who = h.team.users.find((u) => u.name === user)!;
    expect(subjectsOf(r)).toContain(`Only for ${who.displayName}: mailbox ${user}`);
    const status = await call('ol_status', {});
    expect(JSON.stringify(status.structuredContent)).toContain(era === 'legacy' ? '2025-11-25' : '2026-07-28');
    await client.close();

    const log = h.sandbox.identity!.requests;
    expect(log.some((q) => q.endpoint === 'authorize' && q.loginHint === user && q.clientId === PUBLIC_CLIENT_ID && q.status === 302)).toBe(true);
    expect(log.some((q) => q.grantType === 'authorization_code' && q.clientId === PUBLIC_CLIENT_ID && q.status === 200)).toBe(true);
    // Graph served that person's mailbox, and never with the client's token.
    const mine = h.sandbox.requests.filter((q) => q.mailbox === who.upn);
    expect(mine.length).toBeGreaterThan(0);
    expect(h.sandbox.requests.some((q) => q.bearerAudience === h.team.serverApp.audience)).toBe(false);
  });
});
