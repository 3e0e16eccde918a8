/**
 * `login`, `logout` and `status`: the command-line side of sign-in.
 *
 * stdout carries only the result (one summary, or JSON with `--json`), so
 * scripts can read it; the code, the URL and progress go to stderr.
 * Exit codes: 0 success (signed in / signed out / status of a usable sign-in),
 * 1 sign-in failed or no usable sign-in, 2 bad usage or configuration.
 */
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { startRuntime, stateDir } from '../runtime.js';
import { createDelegatedAuth, loginCommandFor } from '../auth/setup.js';
import type { DelegatedAuth } from '../auth/delegated.js';
import { DEFAULT_PUBLIC_CLIENT_ID, signInTenant } from '../auth/authority.js';
import { graphPermissions, missingScopes, scopesFor, SEND_SCOPES } from '../auth/scopes.js';
import { UsageError, type CliIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;

export interface LoginOptions {
  json?: boolean;
  /** Sandbox only: approve the device code after this many milliseconds. */
  sandboxApproveMs?: number;
}

interface Opened {
  delegated: DelegatedAuth;
  config: Config;
  close(): Promise<void>;
}

/** The profile's delegated sign-in; in sandbox mode with an in-process sandbox whose identity endpoint answers. */
async function open(config: Config, logger: Logger, approveMs?: number): Promise<Opened> {
  if (config.sandbox) {
    const runtime = await startRuntime(config, { logger, ephemeralHandles: true, sandbox: { identity: { autoApproveMs: approveMs ?? 1500 } } });
    const delegated = runtime.deps.auth?.delegated;
    if (!delegated) {
      await runtime.close();
      throw new UsageError('This configuration has no delegated sign-in (service-principal mode).');
    }
    return { delegated, config: runtime.deps.config, close: () => runtime.close() };
  }
  return { delegated: createDelegatedAuth(config, { logger, stateDir: stateDir(config) }), config, close: async () => {} };
}

function refuseServicePrincipal(config: Config, command: string): void {
  if (config.authMode === 'service-principal') {
    throw new UsageError(
      `'${command}' is for delegated sign-in. Service-principal mode (OUTLOOK_AUTH_MODE=service-principal or OUTLOOK_CLIENT_SECRET) signs in with the client secret on every start and stores nothing.`,
    );
  }
}

/** `login`: device-code sign-in for the profile; waits until done. */
export async function login(config: Config, io: CliIo, logger: Logger, opts: LoginOptions = {}): Promise<number> {
  refuseServicePrincipal(config, 'login');
  const o = await open(config, logger, opts.sandboxApproveMs);
  try {
    const d = o.delegated;
    const send = config.allowSend ? `\nOUTLOOK_ALLOW_SEND=true: the consent screen will include "Send mail as you" (Mail.Send).` : '';
    const client = d.clientId === DEFAULT_PUBLIC_CLIENT_ID ? `the default client ${d.clientId} (Microsoft Graph Command Line Tools)` : `client ${d.clientId}`;
    if (config.accessToken && !config.sandbox) io.stderr('Note: OUTLOOK_ACCESS_TOKEN is set; a server started with it uses that token, not this sign-in.\n');
    io.stderr(
      `Signing in profile '${config.profile}'${config.sandbox ? ' (SANDBOX)' : ''} with ${client}, tenant '${signInTenant(config.tenantId)}'.\n` +
        `Permissions requested: ${graphPermissions(d.scopes).join(', ')}.${send}\n`,
    );
    const session = d.beginLogin({ force: true });
    await session.prompted;
    if (session.prompt) io.stderr(`\n${session.prompt.message}\nWaiting for you to finish in the browser (Ctrl+C to give up)...\n`);
    await session.finished;
    if (session.state !== 'signed_in' || !session.outcome) {
      io.stderr(`mcp-server-outlook: sign-in failed. ${session.error?.message ?? 'It was cancelled.'}\n`);
      return EXIT_FAILED;
    }
    const out = session.outcome;
    const store = await d.store();
    const stored = await d.stored();
    if (opts.json) {
      io.stdout(
        JSON.stringify(
          { profile: config.profile, sandbox: config.sandbox, account: out.account, username: out.username, tenant: out.tenantId, account_type: out.personal ? 'personal' : 'work or school', scopes: out.scopes, missing_scopes: out.missing, extra_scopes: stored.extraScopes, store: store.kind },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout(
        `Signed in profile '${config.profile}' as ${out.account} (${out.personal ? 'personal account' : 'work or school account'}, tenant ${out.tenantId}).\n` +
          `Scopes: ${out.scopes.join(', ') || 'none'}\nTokens stored in: ${store.description}\n`,
      );
    }
    if (stored.extraScopes.length > 0) {
      io.stderr(`Warning: the grant also holds ${stored.extraScopes.join(', ')}, consented earlier; this server does not use ${stored.extraScopes.length > 1 ? 'them' : 'it'} with these settings. Remove the app at https://myapplications.microsoft.com to withdraw the consent.\n`);
    }
    if (out.missing.length > 0) {
      io.stderr(`mcp-server-outlook: the sign-in did not grant ${out.missing.join(', ')}; the server will refuse calls that need ${out.missing.length > 1 ? 'them' : 'it'}. An administrator may have to consent (see docs/AUTH.md).\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } finally {
    await o.close();
  }
}

/** `logout`: removes this profile's tokens and nothing else. */
export async function logout(config: Config, io: CliIo, logger: Logger): Promise<number> {
  const d = createDelegatedAuth(config, { logger, stateDir: stateDir(config) });
  const store = await d.store();
  const had = await d.logout();
  io.stdout(had ? `Signed out profile '${config.profile}': removed its tokens from ${store.description}.\n` : `Profile '${config.profile}' had no stored sign-in; nothing to remove.\n`);
  if (config.authMode === 'service-principal') io.stderr('Note: service-principal mode stores no tokens; it signs in with OUTLOOK_CLIENT_SECRET.\n');
  return EXIT_OK;
}

/** `status`: account, tenant, scopes, store and expiry of the profile's sign-in; never a secret. */
export async function status(config: Config, io: CliIo, logger: Logger, opts: { json?: boolean } = {}): Promise<number> {
  const requested = graphPermissions(scopesFor(config));
  if (config.authMode === 'service-principal') {
    const view = { profile: config.profile, auth_mode: 'service-principal', client_id: config.clientId, tenant: config.tenantId, mailbox: config.mailbox, signed_in: true, note: 'Tokens come from the client secret at each start (application permissions); nothing is stored.' };
    io.stdout(opts.json ? JSON.stringify(view, null, 2) + '\n' : `Profile '${config.profile}': service principal ${config.clientId} in tenant ${config.tenantId}, mailbox ${config.mailbox}.\n${view.note}\n`);
    return EXIT_OK;
  }
  const d = createDelegatedAuth(config, { logger, stateDir: stateDir(config) });
  const store = await d.store();
  const s = await d.stored();
  const login = loginCommandFor(config);
  // The sandbox serves with its own token: a sandbox profile without a sign-in is ready to use.
  const usable = s.signedIn ? s.missingScopes.length === 0 : config.sandbox;
  // What turning drafts or send on later would still need from this grant, and the command that grants it.
  const later = s.signedIn
    ? ([
        ['drafts', 'OUTLOOK_ALLOW_DRAFTS=true', { ...config, allowDrafts: true }],
        ['sending', 'OUTLOOK_ALLOW_SEND=true', { ...config, allowDrafts: true, allowSend: true }],
      ] as const)
        .filter(([what]) => (what === 'drafts' ? !config.allowDrafts : !config.allowSend))
        .map(([what, setting, flags]) => ({ what, setting, missing: missingScopes(s.grantedScopes, scopesFor(flags)), login: loginCommandFor(flags) }))
        .filter((x) => x.missing.length > 0)
    : [];
  if (opts.json) {
    io.stdout(
      JSON.stringify(
        {
          profile: config.profile,
          sandbox: config.sandbox,
          auth_mode: 'delegated',
          client_id: d.clientId,
          signed_in: s.signedIn,
          account: s.account,
          tenant: s.tenantId,
          account_type: s.accountType,
          scopes_granted: s.grantedScopes,
          scopes_requested: requested,
          scopes_missing: s.signedIn ? s.missingScopes : [],
          scopes_extra: s.extraScopes,
          access_token_expires: s.accessTokenExpiresOn?.toISOString(),
          refresh_token: s.hasRefreshToken,
          store: { kind: store.kind, description: store.description, detection: store.detection },
          static_token: config.accessToken ? 'OUTLOOK_ACCESS_TOKEN is set and takes precedence' : undefined,
          sign_in_needed: !config.sandbox,
          scopes_missing_for: Object.fromEntries(later.map((x) => [x.what, { missing: x.missing, login: x.login }])),
        },
        null,
        2,
      ) + '\n',
    );
    return usable ? EXIT_OK : EXIT_FAILED;
  }
  const lines = [`Profile: ${config.profile}${config.sandbox ? ' (SANDBOX)' : ''} | auth: delegated (device code) | client: ${d.clientId}${d.clientId === DEFAULT_PUBLIC_CLIENT_ID ? ' (default)' : ''}`];
  const why = store.detection ? `chosen because ${store.detection}` : config.sandbox ? 'sandbox sign-ins always use a plain file' : 'set by OUTLOOK_TOKEN_STORE';
  lines.push(`Token store: ${store.description} (${why})`);
  if (s.unreadable) lines.push('The stored data is not a token cache; sign in again to replace it.');
  if (!s.signedIn) {
    lines.push(config.sandbox ? `Not signed in, and no sign-in is needed: the sandbox serves with its own token. To try the sign-in flow: ${login}` : `Not signed in. Sign in with: ${login}`);
  } else {
    lines.push(`Account: ${s.account} (${s.accountType}, tenant ${s.tenantId})`);
    lines.push(`Scopes granted: ${s.grantedScopes.join(', ') || 'none'}`);
    lines.push(`Scopes requested by these settings: ${requested.join(', ')}`);
    if (s.missingScopes.length > 0) lines.push(`MISSING: ${s.missingScopes.join(', ')}. Sign in again: ${login}`);
    if (s.extraScopes.length > 0) {
      const send = s.extraScopes.some((x) => SEND_SCOPES.some((y) => y.toLowerCase() === x.toLowerCase()));
      lines.push(`WARNING: the grant holds more than requested: ${s.extraScopes.join(', ')}${send ? ' (this server still never sends without OUTLOOK_ALLOW_SEND=true)' : ''}.`);
    }
    for (const x of later) lines.push(`For ${x.what} (${x.setting}) this sign-in lacks ${x.missing.join(', ')}; grant it with: ${x.login}`);
    lines.push(
      `Access token: ${s.accessTokenExpiresOn ? `${s.accessTokenExpiresOn.getTime() > Date.now() ? 'valid until' : 'expired at'} ${s.accessTokenExpiresOn.toISOString()}` : 'none'}; refresh token: ${s.hasRefreshToken ? 'stored (renewed silently)' : 'none'}`,
    );
  }
  if (config.accessToken && !config.sandbox) lines.push('Note: OUTLOOK_ACCESS_TOKEN is set; servers use that token instead of this sign-in.');
  io.stdout(lines.join('\n') + '\n');
  return usable ? EXIT_OK : EXIT_FAILED;
}
