import { z } from 'zod';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { VERSION } from '../../version.js';
import { compact } from '../../services/shape.js';

interface GraphUser {
  displayName?: string;
  mail?: string;
  userPrincipalName?: string;
}

export const status = defineTool({
  name: 'ol_status',
  title: 'Server status',
  description: 'Profile, live or SANDBOX, signed-in user, enabled features, token source, pending drafts.',
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
    time_zone: z.string(),
    graph_url: z.string(),
    version: z.string(),
    pending_drafts: z.array(z.object({ id: z.string(), kind: z.string(), subject: z.string(), age: z.string(), web_link: z.string().optional() })),
  }),
  annotations: READ_ONLY,
  async handler(_args, { deps, signal }) {
    const c = deps.config;
    let user: string | undefined;
    let userError: string | undefined;
    try {
      const u = await deps.graph.get<GraphUser>(deps.graph.mailbox``, { query: [['$select', 'displayName,mail,userPrincipalName']], signal });
      const address = u.mail ?? u.userPrincipalName;
      user = u.displayName && address ? `${u.displayName} <${address}>` : (address ?? u.displayName);
    } catch (err) {
      // Status must still answer when Graph or sign-in is the problem: that is when it is needed most.
      userError = err instanceof Error ? err.message : String(err);
    }
    const s = {
      profile: c.profile,
      mode: c.sandbox ? ('SANDBOX' as const) : ('live' as const),
      user,
      user_error: userError,
      mailbox: deps.graph.root,
      auth_mode: c.authMode,
      token_source: deps.tokenSource,
      drafts_enabled: c.allowDrafts,
      send_enabled: c.allowSend,
      time_zone: c.timeZone,
      graph_url: c.graphUrl,
      version: VERSION,
      pending_drafts: [] as Array<{ id: string; kind: string; subject: string; age: string; web_link?: string }>,
    };
    const text = [
      `mcp-server-outlook ${VERSION} | profile ${s.profile} | ${s.mode === 'SANDBOX' ? 'SANDBOX (demo mailbox, nothing real)' : 'live'}`,
      `User: ${user ?? `unavailable - ${userError}`}`,
      `Mailbox: ${s.mailbox} | auth: ${s.auth_mode} | token: ${s.token_source}`,
      `Drafts: ${s.drafts_enabled ? 'enabled' : 'disabled'} | Send: ${s.send_enabled ? 'enabled (human approval per send)' : 'disabled'}`,
      `Time zone: ${s.time_zone} | Graph: ${s.graph_url}`,
      `Pending drafts: none`,
    ].join('\n');
    return { structured: { ...compact(s), drafts_enabled: s.drafts_enabled, send_enabled: s.send_enabled, pending_drafts: s.pending_drafts }, text };
  },
});
