/**
 * Microsoft Entra sign-in failures turned into a short explanation and the
 * next step. Entra identifies failures by an OAuth `error` and an AADSTS
 * number (in `error_codes` and at the start of `error_description`); the
 * table is keyed by those, never by the wording of the description.
 */
import { NotSignedInError } from './token-provider.js';

export interface EntraFailure {
  /** OAuth error, e.g. `invalid_grant`, `authorization_declined`. */
  readonly error?: string;
  /** Entra's `error_description` (starts with `AADSTSnnnn:`). */
  readonly description?: string;
  /** Entra's `error_codes`. */
  readonly errorCodes?: readonly number[];
  readonly suberror?: string;
}

export interface Explanation {
  /** `AADSTS65001`, or the OAuth error when there is no AADSTS number. */
  readonly code: string;
  /** What happened, in one sentence. */
  readonly summary: string;
  /** What to do next. `{login}` stands for the sign-in command of the profile. */
  readonly next: string;
}

interface Entry {
  summary: string;
  next: string;
}

const LOGIN_AGAIN = 'Sign in again: {login}.';

/** Known AADSTS numbers. */
const AADSTS: Readonly<Record<number, Entry>> = {
  50076: {
    summary: 'The tenant requires multi-factor authentication for this sign-in.',
    next: 'Sign in again with {login} and complete the MFA prompt in the browser.',
  },
  50079: {
    summary: 'The tenant requires you to register for multi-factor authentication first.',
    next: 'Register at https://aka.ms/mfasetup, then sign in again with {login}.',
  },
  65001: {
    summary: 'The app has not been granted the permissions these settings need (consent required).',
    next: 'Sign in again with {login} and accept the consent screen. If your organisation blocks user consent, ask an administrator to grant admin consent for the app, or use an app registration they approved (OUTLOOK_CLIENT_ID).',
  },
  53003: {
    summary: 'A Conditional Access policy of the tenant blocked this sign-in.',
    next: 'Ask your administrator which policy applies (device-code sign-in, unmanaged devices and unapproved apps are common targets). Sign in from a device or app the policy allows, e.g. your own app registration via OUTLOOK_CLIENT_ID.',
  },
  700016: {
    summary: 'The application (client id) was not found in the tenant.',
    next: 'Check OUTLOOK_CLIENT_ID and OUTLOOK_TENANT_ID. A single-tenant app works only in its own tenant; unset OUTLOOK_CLIENT_ID to use the default client.',
  },
  7000218: {
    summary: 'The app registration does not allow public-client (device code) sign-in, so Entra asks for a client secret.',
    next: 'In the app registration, under Authentication, set "Allow public client flows" to Yes; or unset OUTLOOK_CLIENT_ID to use the default client.',
  },
  70000: {
    summary: 'Entra refused the grant for this authority (a personal account renewed through /common, or scopes no longer authorised).',
    next: 'Sign in again with {login}. For a personal account, set OUTLOOK_TENANT_ID to consumers.',
  },
  700082: {
    summary: 'The stored sign-in expired (the refresh token was unused too long, was already used, or was revoked).',
    next: LOGIN_AGAIN,
  },
  70008: {
    summary: 'The stored sign-in expired due to inactivity.',
    next: LOGIN_AGAIN,
  },
  50173: {
    summary: 'The stored sign-in was revoked (password change or an administrator revoked sessions).',
    next: LOGIN_AGAIN,
  },
  50020: {
    summary: 'This account is not allowed in the tenant or app it tried (e.g. a personal account on a work-only app, or a guest account not invited).',
    next: 'Check OUTLOOK_TENANT_ID; for a personal account set OUTLOOK_TENANT_ID to consumers; otherwise sign in with an account of that tenant.',
  },
  90002: {
    summary: 'The tenant in OUTLOOK_TENANT_ID does not exist in this cloud.',
    next: 'Check OUTLOOK_TENANT_ID (a tenant GUID or domain) and OUTLOOK_CLOUD.',
  },
  7000215: {
    summary: 'The client secret is wrong.',
    next: 'Check OUTLOOK_CLIENT_SECRET: use the secret value, not its id.',
  },
  7000222: {
    summary: 'The client secret has expired.',
    next: 'Create a new secret in the app registration and update OUTLOOK_CLIENT_SECRET.',
  },
  70019: {
    summary: 'The sign-in code expired before it was entered (codes last about 15 minutes).',
    next: 'Start again with {login} and enter the new code promptly.',
  },
};

/** OAuth errors without a known AADSTS number. */
const OAUTH: Readonly<Record<string, Entry>> = {
  authorization_declined: { summary: 'The sign-in was declined on the sign-in page.', next: 'Start again with {login} and approve the request.' },
  expired_token: AADSTS[70019] as Entry,
  bad_verification_code: { summary: 'The sign-in code was not recognised.', next: 'Start again with {login}.' },
  invalid_grant: { summary: 'Microsoft refused the stored sign-in (invalid_grant).', next: LOGIN_AGAIN },
  interaction_required: { summary: 'Microsoft needs you to sign in interactively again.', next: LOGIN_AGAIN },
  consent_required: AADSTS[65001] as Entry,
  invalid_client: { summary: 'Entra refused the client credentials.', next: 'Check OUTLOOK_CLIENT_ID and OUTLOOK_CLIENT_SECRET.' },
  unauthorized_client: { summary: 'The app is not allowed to use this sign-in flow in this tenant.', next: 'Check OUTLOOK_CLIENT_ID, or unset it to use the default client.' },
  invalid_scope: { summary: 'Entra refused the requested permissions.', next: 'Check OUTLOOK_CLOUD (scopes must name that cloud\'s Graph host) and the app registration.' },
  temporarily_unavailable: { summary: 'The Microsoft sign-in service is temporarily unavailable.', next: 'Try again in a minute.' },
  network_error: { summary: 'Could not reach the Microsoft sign-in service.', next: 'Check the network connection or proxy, OUTLOOK_CLOUD and OUTLOOK_AUTHORITY_URL, then try again.' },
  not_signed_in: { summary: 'This profile has no stored sign-in.', next: 'Sign in: {login}.' },
};

/** Device-flow errors whose OAuth error says more than an AADSTS number Entra may attach. */
const FLOW_ERRORS = new Set(['authorization_declined', 'expired_token', 'bad_verification_code']);

/** The AADSTS number of a failure, from `error_codes` or the description. */
export function aadstsNumber(f: EntraFailure): number | undefined {
  const first = f.errorCodes?.[0];
  if (first !== undefined) return first;
  const m = /AADSTS(\d+)/.exec(f.description ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Explains a sign-in failure; unknown codes still get a code and a next step. */
export function explainEntraError(f: EntraFailure): Explanation {
  const n = aadstsNumber(f);
  const oauth = f.error?.trim();
  if (oauth && FLOW_ERRORS.has(oauth)) return { code: oauth, ...(OAUTH[oauth] as Entry) };
  if (oauth === 'network_error') return { code: oauth, summary: f.description?.trim() || (OAUTH.network_error as Entry).summary, next: (OAUTH.network_error as Entry).next };
  if (n !== undefined && AADSTS[n]) return { code: `AADSTS${n}`, ...(AADSTS[n] as Entry) };
  if (f.suberror === 'consent_required') return { code: n !== undefined ? `AADSTS${n}` : 'consent_required', ...(AADSTS[65001] as Entry) };
  if (oauth && OAUTH[oauth]) return { code: n !== undefined ? `AADSTS${n}` : oauth, ...(OAUTH[oauth] as Entry) };
  const code = n !== undefined ? `AADSTS${n}` : oauth || 'unknown_error';
  const said = firstSentence(f.description);
  const lookup = n !== undefined ? ` If it keeps failing, look the code up at https://login.microsoftonline.com/error?code=${n}` : '';
  return { code, summary: `Microsoft sign-in failed${said ? `: ${said}` : '.'}`, next: `${LOGIN_AGAIN}${lookup}` };
}

/** The description without Entra's trace, correlation and timestamp lines. */
function firstSentence(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const text = description.replace(/^AADSTS\d+:\s*/, '').split(/\s*(?:Trace ID|Correlation ID|Timestamp):/)[0]?.trim();
  return text ? text.slice(0, 200) : undefined;
}

/** Sign-in failed or is needed; the message says why and what to do. A kind of NotSignedInError: no usable credentials. */
export class SignInError extends NotSignedInError {
  override name = 'SignInError';
  constructor(
    message: string,
    /** `AADSTS65001`, `authorization_declined`, `not_signed_in`, … */
    code: string,
  ) {
    super(message);
    Object.defineProperty(this, 'code', { value: code, enumerable: true });
  }
}

/** A SignInError for `f`, naming the command that fixes it. */
/**
 * The error a failed sign-in step becomes. `settingName` words each OUTLOOK_* setting the advice names as the person
 * changes it (the bundle's setting titles: src/config/advice.ts).
 */
export function signInErrorFrom(f: EntraFailure, loginCommand: string, settingName: (variable: string) => string = (v) => v): SignInError {
  const e = explainEntraError(f);
  return new SignInError(`${e.summary} (${e.code}) ${e.next.replaceAll('{login}', loginCommand).replace(/\bOUTLOOK_[A-Z_]+\b/g, settingName)}`, e.code);
}
