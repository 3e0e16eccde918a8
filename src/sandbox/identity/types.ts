/** Public types of the sandbox's fake Microsoft Entra (v2.0) identity endpoint. */
import type { DirectoryUser, SandboxServerApp } from './directory.js';
import type { TeamFailure, TeamIdentity } from './team.js';

export interface IdentityOptions {
  /**
   * Device codes are approved this many milliseconds after they were issued,
   * as if a person had entered them; `false` = only `approve()` approves.
   * Default 1500.
   */
  autoApproveMs?: number | false;
  /** `interval` of device-code answers, in seconds (MSAL polls at it). Default: a quarter of the approval delay, 0.01–1. */
  pollIntervalSeconds?: number;
  /** Lifetime of device codes. Default 900. */
  deviceCodeExpiresInSeconds?: number;
  /** Lifetime of access tokens. Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** The account that signs in with a device code. Default `work` (the mailbox user in the sandbox tenant). */
  accountType?: 'work' | 'personal';
  /** Application permissions of client-credentials tokens. Default Mail.Read, Calendars.Read, User.Read.All. */
  appRoles?: string[];
  /** Expected secret per client id for client credentials; clients not listed accept any non-empty secret. */
  clientSecrets?: Record<string, string>;
  /**
   * Remote mode: several people with mailboxes of their own, the server's API app, OpenID
   * metadata, JWKS, authorization code + PKCE and the on-behalf-of exchange.
   */
  team?: { users: readonly DirectoryUser[]; serverApp: SandboxServerApp; serverAppPermissions?: readonly string[] };
  /** Milliseconds clock (default `Date.now`); token lifetimes are real time, as MSAL's are. */
  now?: () => number;
}

/** Named failures, each the answer Entra gives for it. */
export type IdentityFailure =
  | 'declined'
  | 'expired'
  | 'bad_code'
  | 'consent_required'
  | 'invalid_grant'
  | 'mfa_required'
  | 'mfa_registration'
  | 'conditional_access'
  | 'unknown_client'
  | 'not_public_client'
  | 'personal_on_common'
  | 'invalid_client_secret'
  | 'unavailable'
  /** On-behalf-of failures (team mode). */
  | TeamFailure;

export interface IdentityInjection {
  /** A named failure, or a raw Entra error. */
  failure: IdentityFailure | { error: string; aadsts?: number; description?: string; suberror?: string; status?: number };
  /** Which requests fail: a token grant type, or the device-code endpoint. Default: any. */
  on?: 'device_code' | 'refresh_token' | 'client_credentials' | 'devicecode_endpoint' | 'authorization_code' | 'on_behalf_of';
  /** Default 1. */
  times?: number;
}

/** One identity request as the log keeps it: no codes, tokens or secrets. */
export interface IdentityRequest {
  seq: number;
  time: string;
  method: string;
  /** `/common/oauth2/v2.0/token`, … */
  path: string;
  tenant: string;
  endpoint: 'devicecode' | 'token' | 'devicelogin' | 'authorize' | 'keys' | 'openid-configuration' | 'other';
  /** `login_hint` of an authorization request. */
  loginHint?: string;
  /** `code_challenge_method` of an authorization request, as sent (absent when the client sent none). */
  codeChallengeMethod?: string;
  /** RFC 8707 `resource` of an authorization request, as sent. */
  resource?: string;
  /** `redirect_uri` of an authorization request, as sent. */
  redirectUri?: string;
  /**
   * The `Origin` header, when a browser page made the request itself: Entra redeems a code for such a request only for
   * a redirect URI of the single-page-application platform (AADSTS9002326 otherwise).
   */
  origin?: string;
  grantType?: string;
  clientId?: string;
  /** The `scope` parameter as sent. */
  scope?: string;
  status: number;
  /** OAuth error of the answer, if any. */
  error?: string;
}

export interface DeviceCodeInfo {
  userCode: string;
  clientId: string;
  tenant: string;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
}

/** The identity endpoint's test API (`sandbox.identity`). */
export interface SandboxIdentity {
  /** The https host MSAL is told to trust (the endpoints themselves are plain http on loopback). */
  readonly authorityHost: string;
  /** Base of the endpoints, `http://127.0.0.1:PORT` (also a valid `OUTLOOK_AUTHORITY_URL`). */
  readonly origin: string;
  /** The tenant the sandbox's work account lives in. */
  readonly tenantId: string;
  readonly requests: readonly IdentityRequest[];
  readonly deviceCodes: readonly DeviceCodeInfo[];
  /** Makes the next matching request(s) fail. */
  inject(i: IdentityInjection): void;
  /** Approves a pending code (the newest when none is named). */
  approve(userCode?: string): void;
  /** Declines a pending code (the newest when none is named). */
  decline(userCode?: string): void;
  /** Changes the automatic approval delay (`false` = off). */
  setAutoApprove(ms: number | false): void;
  /** Every access token issued so far is refused from now on as expired (Graph answers 401). */
  expireAccessTokens(): void;
  /** Every refresh token issued so far is refused from now on (invalid_grant). */
  revokeRefreshTokens(): void;
  /** Records an earlier consent, e.g. `['Mail.Send']`: later tokens carry it, as Entra's do. */
  consent(permissions: string[], clientId?: string): void;
  /** Empties `requests`. */
  clearLog(): void;
  /** Remote mode (sandbox started with `team`): the people, the API app and token helpers. */
  readonly team?: TeamIdentity;
}
