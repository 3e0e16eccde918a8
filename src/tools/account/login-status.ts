import { z } from 'zod';
import { defineTool, READ_ONLY_LOCAL, strictInput } from '../define.js';
import type { ServerDeps } from '../../server-deps.js';
import type { LoginOutcome, LoginSession } from '../../auth/device-code.js';
import type { StoredSignIn } from '../../auth/cache-summary.js';
import { compact } from '../../services/shape.js';

/** Output of both login tools: the sign-in state and what the person needs to act on it. */
export const loginState = z.object({
  state: z.enum(['signed_in', 'pending', 'none']),
  account: z.string().optional(),
  tenant: z.string().optional(),
  /** Comma-separated: a string costs fewer tokens in tools/list than an array. */
  scopes: z.string().optional(),
  verification_url: z.string().optional(),
  user_code: z.string().optional(),
});

/** A login state plus, for the text only, why the last attempt failed (kept out of the schema: tools/list tokens). */
export type LoginStateView = z.input<typeof loginState> & { error?: string };

/** The view of a signed-in account. */
export function signedInView(s: Pick<StoredSignIn, 'account' | 'tenantId' | 'grantedScopes'> | LoginOutcome): LoginStateView {
  const scopes = 'scopes' in s ? s.scopes : s.grantedScopes;
  return compact({ state: 'signed_in' as const, account: s.account, tenant: s.tenantId, scopes: scopes.join(', ') });
}

/** The view of a sign-in waiting for the person. */
export function pendingView(session: LoginSession): LoginStateView {
  const p = session.prompt;
  return compact({ state: 'pending' as const, verification_url: p?.verificationUri, user_code: p?.userCode });
}

/** One line a person can act on: where to go and which code to enter. */
export function promptText(session: LoginSession): string {
  const p = session.prompt;
  if (!p) return 'Starting Microsoft sign-in…';
  return `To sign in, open ${p.verificationUri} and enter the code ${p.userCode} (valid until ${p.expiresAt.toISOString().slice(11, 16)} UTC).`;
}

/** The text rendering of a login state. */
export function renderLoginState(v: LoginStateView, extra = ''): string {
  const lines: string[] = [];
  if (v.state === 'signed_in') lines.push(`Signed in as ${v.account ?? 'unknown'}${v.tenant ? ` (tenant ${v.tenant})` : ''}.`, `Scopes: ${v.scopes || 'none'}`);
  else if (v.state === 'pending') lines.push(`Sign-in pending: open ${v.verification_url} and enter the code ${v.user_code}.`, 'Call ol_login_status to see when it completes.');
  else lines.push('Not signed in. Call ol_login_begin to sign in.');
  if (v.error) lines.push(`Last attempt failed: ${v.error}`);
  if (extra) lines.push(extra);
  return lines.join('\n');
}

/** The current sign-in state of the server's profile. */
export async function loginStateOf(deps: ServerDeps): Promise<LoginStateView> {
  const d = deps.auth?.delegated;
  if (!d) return { state: 'none', error: deps.auth?.kind === 'static' ? 'OUTLOOK_ACCESS_TOKEN is set: this server uses that token.' : undefined };
  const session = d.currentLogin;
  if (session?.active) return pendingView(session);
  // Probing the store (not memory), so a sign-in made with the CLI counts too.
  const stored = await d.stored();
  if (stored.signedIn) return signedInView(stored);
  return compact({ state: 'none' as const, error: session?.state === 'failed' ? session.error?.message : undefined });
}

export const loginStatus = defineTool({
  name: 'ol_login_status',
  title: 'Sign-in status',
  description: 'Signed in (who, scopes), pending (URL, code) or not.',
  toolset: 'account',
  gate: 'delegated',
  input: strictInput({}),
  output: loginState,
  annotations: READ_ONLY_LOCAL,
  async handler(_args, { deps }) {
    const { error, ...v } = await loginStateOf(deps);
    return { structured: v, text: renderLoginState({ ...v, error }) };
  },
});
