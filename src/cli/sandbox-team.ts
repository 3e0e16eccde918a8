/**
 * `sandbox --json` (the sandbox as Entra and Graph for a whole team, for
 * remote mode) and `sandbox token --user NAME` (an access token for the
 * server's API, fetched from a running sandbox the way a client gets one:
 * authorization code with PKCE, `login_hint` naming the person).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox/index.js';
import { SANDBOX_SERVER_CLIENT_ID, otherMailboxDirectory } from '../sandbox/index.js';
import { UsageError } from './io.js';

/** The one JSON line `sandbox --json` prints. */
export function teamSummary(sb: Sandbox): Record<string, unknown> {
  const team = sb.identity?.team;
  if (!team) throw new Error('The sandbox was started without a team.');
  return {
    graph_url: sb.url,
    authority_url: sb.origin,
    tenant_id: team.tenantId,
    server_app: { client_id: team.serverApp.clientId, client_secret: team.serverApp.clientSecret, api_scope: team.serverApp.apiScope, audience: team.serverApp.audience },
    users: team.users.map((u) => ({ name: u.name, upn: u.upn })),
    // Shared and delegated mailboxes (OUTLOOK_ALLOW_SHARED_MAILBOXES): one each for the team, opened per person's grant.
    other_mailboxes: otherMailboxDirectory(team.users),
  };
}

/** A fixed public client id for the CLI's own sign-ins against the sandbox. */
const CLI_CLIENT_ID = '0c11e000-5a4d-4b0c-8c11-5a4db0c5c11e';

/** Signs `user` in at the sandbox on `port` (code + PKCE) and returns an access token for the server's API. */
export async function sandboxApiToken(port: number, user: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const origin = `http://127.0.0.1:${port}`;
  const meta = await fetchImpl(`${origin}/organizations/v2.0/.well-known/openid-configuration`).catch(() => undefined);
  if (!meta?.ok) throw new UsageError(`No team sandbox answers on port ${port}. Start one with: mcp-server-outlook sandbox --port ${port} --json`);
  const { authorization_endpoint: authorizeUrl, token_endpoint: tokenUrl } = (await meta.json()) as { authorization_endpoint: string; token_endpoint: string };
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  const apiScope = `api://${SANDBOX_SERVER_CLIENT_ID}/access_as_user`;
  const q = new URLSearchParams({
    client_id: CLI_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: apiScope,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    login_hint: user,
    state: randomBytes(8).toString('hex'),
  });
  const auth = await fetchImpl(`${authorizeUrl}?${q}`, { redirect: 'manual' });
  const location = new URL(auth.headers.get('location') ?? redirectUri);
  const code = location.searchParams.get('code');
  if (!code) throw new UsageError(`The sandbox refused the sign-in of "${user}": ${location.searchParams.get('error_description') ?? auth.status}`);
  const token = await fetchImpl(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLI_CLIENT_ID, code, redirect_uri: redirectUri, code_verifier: verifier, scope: apiScope }),
  });
  const body = (await token.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new UsageError(`The sandbox issued no token: ${body.error_description ?? token.status}`);
  return body.access_token;
}
