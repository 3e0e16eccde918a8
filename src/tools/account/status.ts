import { z } from 'zod';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { VERSION } from '../../version.js';
import { compact, formatRecipient } from '../../services/shape.js';
import { cleanUntrusted } from '../../text/untrusted.js';
import { pendingDrafts } from '../../drafts/status.js';
import type { ServerDeps } from '../../server-deps.js';
import { GROUP_READ_SCOPES, graphPermissions } from '../../auth/scopes.js';
import { mailboxKindLabel } from '../../services/mailbox-kind.js';
import { signInAdvice } from '../../config/advice.js';

interface GraphUser {
  displayName?: string;
  mail?: string;
  userPrincipalName?: string;
}

export const status = defineTool({
  name: 'ol_status',
  title: 'Server status',
  description: 'Profile, mode, user, features, protocol era, sign-in, scopes, pending drafts.',
  toolset: 'account',
  gate: 'always',
  input: strictInput({}),
  output: z.object({
    profile: z.string(),
    mode: z.enum(['live', 'SANDBOX']),
    user: z.string().optional(),
    user_error: z.string().optional(),
    mailbox: z.string(),
    auth_mode: z.string(),
    token_source: z.string(),
    drafts_enabled: z.boolean(),
    send_enabled: z.boolean(),
    send_confirmation: z.enum(['elicit', 'client']).optional(),
    protocol_era: z.enum(['2025-11-25', '2026-07-28']),
    time_zone: z.string(),
    renderer: z.object({
      in_use: z.enum(['builtin', 'browser']),
      setting: z.enum(['auto', 'browser', 'builtin']),
      browser_path: z.string().optional(),
      reason: z.string().optional(),
      warm: z.boolean(),
    }),
    pending_drafts: z.array(z.object({ id: z.string(), kind: z.string(), subject: z.string(), age: z.string(), web_link: z.string().optional() })),
    scopes_granted: z.array(z.string()).optional(),
    warnings: z.array(z.string()).optional(),
  }),
  annotations: READ_ONLY,
  async handler(_args, { deps, signal, era }) {
    const c = deps.config;
    const scopes = await scopeReport(deps);
    // Loaded here, not at start-up: the renderer module brings the HTML parser.
    const { rendererStatus } = await import('../../text/render-visible.js');
    const r = rendererStatus();
    const renderer = { in_use: r.renderer, setting: r.setting, warm: r.warm, ...compact({ browser_path: r.browserPath, reason: r.reason }) };
    let user: string | undefined;
    let userError: string | undefined;
    try {
      const u = await deps.graph.get<GraphUser>(deps.graph.mailbox``, { query: [['$select', 'displayName,mail,userPrincipalName']], signal });
      user = formatRecipient({ emailAddress: { name: u.displayName, address: u.mail ?? u.userPrincipalName } });
    } catch (err) {
      // Status must still answer when Graph or sign-in is the problem: that is when it is needed most.
      userError = cleanUntrusted(err instanceof Error ? err.message : String(err), 'label');
    }
    const kinds = c.allowSharedMailboxes ? await mailboxKinds(deps, signal) : undefined;
    const s = {
      profile: c.profile,
      mode: c.sandbox ? ('SANDBOX' as const) : ('live' as const),
      user,
      user_error: userError,
      mailbox: deps.graph.root,
      auth_mode: c.authMode,
      token_source: deps.auth?.tokens.source ?? deps.tokenSource,
      drafts_enabled: c.allowDrafts,
      send_enabled: c.allowSend,
      send_confirmation: c.allowSend ? c.sendConfirmation : undefined,
      protocol_era: era === 'modern' ? ('2026-07-28' as const) : ('2025-11-25' as const),
      time_zone: c.timeZone,
      renderer,
      graph_url: c.graphUrl,
      version: VERSION,
      pending_drafts: c.allowDrafts ? await pendingDraftsOf(deps) : [],
    };
    const text = [
      `mcp-server-outlook ${VERSION} | profile ${s.profile} | ${s.mode === 'SANDBOX' ? 'SANDBOX (demo mailbox, nothing real)' : 'live'}`,
      `User: ${user ?? `unavailable - ${userError}`}`,
      `Mailbox: ${s.mailbox}${c.mailbox && c.allowSharedMailboxes ? ` (default, OUTLOOK_MAILBOX=${c.mailbox}${kinds?.own ? `, ${kinds.own}` : ''})` : ''} | auth: ${s.auth_mode} | token: ${s.token_source}`,
      // Text only (not a structured field), so tools/list without the opt-in is as before.
      ...(c.allowSharedMailboxes
        ? [`Other mailboxes (mailbox argument): ${c.sharedMailboxes?.length ? c.sharedMailboxes.map((a) => (kinds?.listed.get(a) ? `${a} (${kinds.listed.get(a)})` : a)).join(', ') : 'any the sign-in has access to'} | permissions requested: ${scopes.requested.join(', ')}`]
        : []),
      ...(c.allowGroupMailboxes
        ? [`Group conversations (read-only, mailbox: "group:<id or address>"): on | permission: ${GROUP_READ_SCOPES.join(', ')} (administrator consent)`]
        : []),
      `Drafts: ${s.drafts_enabled ? 'enabled' : 'disabled'} | Send: ${s.send_enabled ? `enabled, each send approved by ${s.send_confirmation === 'client' ? "the client's tool-approval prompt (OUTLOOK_SEND_CONFIRMATION=client)" : 'the user in a confirmation prompt (elicitation)'}` : 'disabled'} | MCP ${s.protocol_era}`,
      `Time zone: ${s.time_zone} | Graph: ${s.graph_url}`,
      `Mail renderer: ${r.renderer === 'browser' ? `browser (${r.browserPath}${r.warm ? ', running' : ', starts on the first read'})` : `builtin, fail-closed${r.reason ? ` (${r.reason})` : ''}`} | OUTLOOK_RENDERER=${r.setting}`,
      s.pending_drafts.length ? `Pending drafts:\n${s.pending_drafts.map((d) => `  ${d.id} | ${d.kind} | ${d.subject} | ${d.age} old${d.web_link ? ` | ${d.web_link}` : ''}`).join('\n')}` : 'Pending drafts: none',
      ...(scopes.granted ? [`Scopes granted: ${scopes.granted.join(', ') || 'none'} | requested: ${scopes.requested.join(', ')}`] : []),
      ...scopes.warnings.map((w) => `WARNING: ${w}`),
    ].join('\n');
    const auth = compact({ scopes_granted: scopes.granted, warnings: scopes.warnings });
    const { graph_url: _g, version: _v, ...shown } = s;
    return { structured: { ...compact(shown), drafts_enabled: s.drafts_enabled, send_enabled: s.send_enabled, pending_drafts: s.pending_drafts, renderer, ...auth }, text };
  },
});

/** Shown for at most this many listed mailboxes: each costs one Graph read the first time. */
const KINDS_SHOWN = 10;

/**
 * What the default mailbox (when it is someone else's) and the listed mailboxes are, from Graph
 * (userPurpose, read once per mailbox per process); status must answer even when Graph does not.
 */
async function mailboxKinds(deps: ServerDeps, signal?: AbortSignal): Promise<{ own?: string; listed: Map<string, string> }> {
  const label = async (d: ServerDeps | undefined) => {
    const kind = await d?.mailboxKind?.kind(signal).catch(() => undefined);
    return kind ? mailboxKindLabel(kind) : undefined;
  };
  const listed = new Map<string, string>();
  const addresses = (deps.config.sharedMailboxes ?? []).slice(0, KINDS_SHOWN);
  const labels = await Promise.all(addresses.map((a) => label(deps.forMailbox?.(a))));
  addresses.forEach((a, i) => {
    const l = labels[i];
    if (l) listed.set(a, l);
  });
  return { own: await label(deps), listed };
}

/**
 * Granted vs requested permissions of a delegated sign-in, from the stored
 * cache, and warnings: a grant wider than the settings request (e.g.
 * Mail.Send consented in an earlier sign-in) or narrower than they need.
 */
async function scopeReport(deps: ServerDeps): Promise<{ granted?: string[]; requested: string[]; warnings: string[] }> {
  const auth = deps.auth;
  const requested = graphPermissions(auth?.requestedScopes ?? []);
  const d = auth?.delegated;
  if (!auth || !d) return { requested, warnings: [] };
  try {
    const stored = await d.stored();
    if (!stored.signedIn) return { requested, warnings: [] };
    const warnings: string[] = [];
    if (stored.extraScopes.length > 0) {
      warnings.push(
        `The sign-in holds ${stored.extraScopes.join(', ')} beyond what these settings request (consented earlier). This server does not use ${stored.extraScopes.length > 1 ? 'them' : 'it'}; to withdraw the consent, remove the app at https://myapplications.microsoft.com (or ask an administrator), then sign in again.`,
      );
    }
    if (stored.missingScopes.length > 0) warnings.push(`The sign-in lacks ${stored.missingScopes.join(', ')}, which these settings need. Sign in again: ${signInAdvice(deps.config)}.`);
    return { granted: stored.grantedScopes, requested, warnings };
  } catch (err) {
    // Status must answer even when the token store cannot be read; say why instead.
    return { requested, warnings: [err instanceof Error ? err.message : String(err)] };
  }
}

/** This profile's drafts still waiting for the human, with short ids. */
async function pendingDraftsOf(deps: ServerDeps): Promise<Array<{ id: string; kind: string; subject: string; age: string; web_link?: string }>> {
  const records = (await deps.draftRegistry?.list()) ?? [];
  const newest = [...records].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20);
  const lines = pendingDrafts(newest, deps.now());
  const ids = await deps.handles.handlesFor(newest.map((r) => r.id));
  return lines.map((l, i) => ({ id: ids[i] ?? '', ...l }));
}
