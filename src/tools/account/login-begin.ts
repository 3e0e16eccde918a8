import { z } from 'zod';
import { becauseOf } from '../../config/advice.js';
import { defineTool, strictInput, type ToolAnnotationHints, type ToolCallContext } from '../define.js';
import { SignInError } from '../../auth/entra-errors.js';
import type { LoginSession } from '../../auth/device-code.js';
import { loginState, pendingView, promptText, renderLoginState, signedInView, type LoginStateView } from './login-status.js';

/** Starts something outside this server (a sign-in), changes no mail, and a repeat joins the same sign-in. */
const SIGN_IN: ToolAnnotationHints = Object.freeze({ readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true });

/** Resolves after `ms`, or earlier when `done` settles or `signal` aborts; leaves no timer behind. */
function waitFor(ms: number, done: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
    void done.then(finish);
  });
}

/** Keeps the call open while the person signs in, reporting progress; returns the final state. */
async function waitWithProgress(session: LoginSession, note: string, { deps, signal, progress }: ToolCallContext): Promise<LoginStateView> {
  const every = deps.auth?.progressIntervalMs ?? 10_000;
  const started = Date.now();
  const expires = session.prompt?.expiresAt.getTime() ?? started + 900_000;
  const total = Math.ceil((expires - started) / every) + 1;
  let tick = 0;
  await progress(tick, total, promptText(session) + note);
  while (session.active && !signal.aborted) {
    await waitFor(every, session.finished, signal);
    if (!session.active || signal.aborted) break;
    tick = Math.min(tick + 1, total - 1);
    await progress(tick, total, `Waiting for sign-in (${Math.round((Date.now() - started) / 1000)} s). ${promptText(session)}`);
  }
  if (session.state === 'signed_in' && session.outcome) {
    await progress(total, total, `Signed in as ${session.outcome.account}.`);
    return signedInView(session.outcome);
  }
  if (session.state === 'failed') throw session.error ?? new SignInError('Sign-in failed. Call ol_login_begin again.', 'failed');
  if (session.state === 'cancelled') throw new SignInError('This sign-in was replaced by a newer one (force=true). Call ol_login_status for the current one.', 'cancelled');
  // The client stopped waiting; the sign-in itself goes on.
  return pendingView(session);
}

export const loginBegin = defineTool({
  name: 'ol_login_begin',
  title: 'Sign in',
  description: 'Microsoft sign-in: a URL and code for the user to enter.',
  toolset: 'account',
  gate: 'delegated',
  // `force`: cancel a pending sign-in (or sign in again when signed in) and start fresh. Undescribed: the name says it, tools/list tokens count.
  input: strictInput({ force: z.boolean().default(false) }),
  output: loginState,
  annotations: SIGN_IN,
  async handler({ force }, ctx) {
    const auth = ctx.deps.auth;
    const d = auth?.delegated;
    if (!d) {
      throw new SignInError(
        auth?.kind === 'static'
          ? 'This server uses the token in OUTLOOK_ACCESS_TOKEN; there is nothing to sign in. Unset it to sign in with a Microsoft account.'
          : 'This server signs in as an application (service principal) with its client secret; there is nothing to sign in.',
        'no_sign_in',
      );
    }
    if (!force && !d.currentLogin?.active) {
      const stored = await d.stored();
      if (stored.signedIn && stored.missingScopes.length === 0) {
        const v = signedInView(stored);
        return { structured: v, text: renderLoginState(v, 'Already signed in; pass force=true to sign in again (e.g. as another account).') };
      }
    }
    const session = d.beginLogin({ force });
    await Promise.race([session.prompted, new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }))]);
    if (session.state === 'failed') throw session.error ?? new SignInError('Sign-in could not start.', 'failed');
    const send = auth.requestedScopes.some((s) => /mail\.send$/i.test(s)) ? ` The consent screen will include "Send mail as you" because ${becauseOf(ctx.deps.config, 'OUTLOOK_ALLOW_SEND')}.` : '';
    if (ctx.progressRequested) {
      const v = await waitWithProgress(session, send, ctx);
      return { structured: v, text: renderLoginState(v) };
    }
    const v = pendingView(session);
    return { structured: v, text: `${promptText(session)}${send}\nTell the user, then call ol_login_status to see when it completes.` };
  },
});
