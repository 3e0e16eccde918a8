/**
 * The sandbox's Entra for remote mode: several people, the server's API app,
 * and the flows a remote deployment uses. OpenID metadata and JWKS at
 * Entra's paths, RS256 access tokens for the API (`jose`, one key pair per
 * sandbox, shared by every tenant as Entra's keys are), authorization code
 * with PKCE (approved at once; `login_hint` picks the person), and the
 * on-behalf-of exchange (`urn:ietf:params:oauth:grant-type:jwt-bearer`) that
 * turns an API token into a Graph token for the same person. Failures Entra
 * gives (consent missing, Conditional Access, wrong audience) come from
 * checks or from injections.
 */
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Answer, ErrorSpec } from './answers.js';
import { SANDBOX_OTHER_TENANT_ID, type DirectoryUser, type SandboxServerApp } from './directory.js';
import { clientInfo, randomText } from './tokens.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GROUPS = new Set(['common', 'organizations']);
const GRAPH_PREFIXES = ['https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000/'];
/** Delegated Graph permissions an administrator granted the server app by default: everything the server can use. */
export const DEFAULT_SERVER_APP_PERMISSIONS = [
  'User.Read', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'Calendars.Read', 'Calendars.ReadWrite', 'People.Read', 'MailboxSettings.Read',
  // OUTLOOK_ALLOW_SHARED_MAILBOXES: other people's mailboxes (what each person may open is their grant, checked per request).
  'Mail.Read.Shared', 'Mail.ReadWrite.Shared', 'Calendars.Read.Shared', 'Calendars.ReadWrite.Shared',
];

export const TEAM_FAILURES = {
  consent_required: {
    error: 'invalid_grant',
    aadsts: 65001,
    suberror: 'consent_required',
    description: "The user or administrator has not consented to use the application with ID '{app}'. Send an interactive authorization request for this user and resource.",
  },
  interaction_required: {
    error: 'interaction_required',
    aadsts: 50076,
    suberror: 'basic_action',
    description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
    claims: '{"access_token":{"capolids":{"essential":true,"values":["c0de5a4d-ca00-4000-8000-000000000001"]}}}',
  },
  wrong_audience: { error: 'invalid_grant', aadsts: 500131, description: 'Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was not expected.' },
} satisfies Record<string, ErrorSpec>;

export type TeamFailure = keyof typeof TEAM_FAILURES;

/** What the team flows need from the identity endpoint they run in. */
export interface TeamContext {
  readonly origin: string;
  readonly homeTenant: string;
  readonly users: readonly DirectoryUser[];
  readonly serverApp: SandboxServerApp;
  readonly serverAppPermissions: readonly string[];
  readonly accessLifetime: number;
  now(): number;
  /** A failure injected for this kind of request, if any. */
  takeInjection(on: 'authorization_code' | 'on_behalf_of'): ErrorSpec | undefined;
  errorAnswer(spec: ErrorSpec): Answer;
  /** A Graph access token (the sandbox's Graph format) for `user`, issued to `clientId` with `permissions`. */
  graphToken(user: DirectoryUser, tid: string, clientId: string, permissions: string[]): string;
}

/** Options of a hand-made API token (the token matrix of the tests). */
export interface ApiTokenOptions {
  tenant?: string;
  /** Default the sandbox API's audience. */
  audience?: string;
  /** Default `access_as_user`. */
  scp?: string;
  /** Seconds from now; negative = already expired. Default the access-token lifetime. */
  expiresIn?: number;
  /** Client the token was issued to (azp). */
  clientId?: string;
}

/** The team part of `sandbox.identity`: people, the API app, and tokens for tests. */
export interface TeamIdentity {
  readonly users: readonly DirectoryUser[];
  readonly serverApp: SandboxServerApp;
  readonly tenantId: string;
  /** A second tenant whose tokens the same keys sign (not allowed by a correctly configured server). */
  readonly otherTenantId: string;
  /** `${origin}/${tid}/v2.0`, the `iss` of v2 tokens (as `https://login.microsoftonline.com/${tid}/v2.0` is in Entra). */
  issuer(tid?: string): string;
  /** A valid API access token for a person (`name` or UPN), as code + PKCE would give it. */
  issueApiToken(user: string, opts?: ApiTokenOptions): Promise<string>;
  /** Signs any claims with the sandbox's key (RS256, its `kid`). */
  signWithSandboxKey(claims: JWTPayload, header?: { kid?: string }): Promise<string>;
  /** A delegated Graph token for a person (what a client would get if it asked Entra for Graph, not for the API). */
  issueGraphToken(user: string): string;
  /** The public JWKS. */
  jwks(): { keys: JWK[] };
}

interface PendingCode {
  code: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  method: 'S256' | 'plain';
  scope: string;
  user: DirectoryUser;
  tid: string;
  expiresAt: number;
}

/** Builds the team flows. The key pair is made here, once per sandbox. */
export function createTeam(ctx: TeamContext) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url').slice(0, 27);
  const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, use: 'sig', kty: 'RSA' };
  const localJwks = createLocalJWKSet({ keys: [publicJwk] });
  const codes = new Map<string, PendingCode>();
  const tenants = new Set([ctx.homeTenant, SANDBOX_OTHER_TENANT_ID]);
  const issuer = (tid: string) => `${ctx.origin}/${tid}/v2.0`;

  const findUser = (hint: string | null | undefined): DirectoryUser | undefined => {
    const h = (hint ?? '').trim().toLowerCase();
    return h === '' ? ctx.users[0] : ctx.users.find((u) => u.name === h || u.upn.toLowerCase() === h);
  };
  /** The tenant a path names: a known directory, or the home tenant for `common`/`organizations`. */
  const tenantOf = (segment: string): string | undefined => (GROUPS.has(segment.toLowerCase()) ? ctx.homeTenant : tenants.has(segment) ? segment : undefined);

  async function sign(claims: JWTPayload, header: { kid?: string } = {}): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: header.kid ?? kid }).sign(privateKey as KeyObject);
  }

  async function apiToken(user: DirectoryUser, o: ApiTokenOptions = {}): Promise<string> {
    const tid = o.tenant ?? ctx.homeTenant;
    const sec = Math.floor(ctx.now() / 1000);
    const exp = sec + (o.expiresIn ?? ctx.accessLifetime);
    return sign({
      aud: o.audience ?? ctx.serverApp.audience,
      iss: issuer(tid),
      iat: Math.min(sec, exp - 60),
      nbf: Math.min(sec, exp - 60),
      exp,
      azp: o.clientId ?? 'aebc6443-996d-45c2-90f0-388ff96faa56',
      azpacr: '0',
      name: user.displayName,
      oid: user.oid,
      preferred_username: user.upn,
      scp: o.scp ?? 'access_as_user',
      sub: createHash('sha256').update(`${user.oid}:${o.clientId ?? ''}`).digest('base64url').slice(0, 43),
      tid,
      uti: randomText(12),
      ver: '2.0',
    });
  }

  /** The API's short scope name a requested scope names (`api://<id>/x` or `<id>/x`), if it is the API's. */
  function apiScopeOf(s: string): string | undefined {
    const id = ctx.serverApp.clientId;
    for (const prefix of [`api://${id}/`, `${id}/`]) if (s.toLowerCase().startsWith(prefix.toLowerCase())) return s.slice(prefix.length);
    return undefined;
  }

  function metadata(tenantSegment: string): Answer {
    const tid = tenantOf(tenantSegment);
    if (!tid) return ctx.errorAnswer({ error: 'invalid_tenant', aadsts: 90002, description: `Tenant '${tenantSegment}' not found.` });
    const base = `${ctx.origin}/${tenantSegment}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        // Entra names the literal `{tenantid}` for the group endpoints; a tenant's own endpoint names the tenant.
        issuer: issuer(GROUPS.has(tenantSegment.toLowerCase()) ? '{tenantid}' : tid),
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${ctx.origin}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'sandbox.invalid',
      },
    };
  }

  /** GET /authorize: approved at once, as if the person had signed in and consented; answers with a redirect. */
  function authorize(tenantSegment: string, q: URLSearchParams): Answer {
    const redirectUri = q.get('redirect_uri') ?? '';
    let redirect: URL;
    try {
      redirect = new URL(redirectUri);
    } catch {
      return ctx.errorAnswer({ error: 'invalid_request', aadsts: 50011, description: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application.` });
    }
    const back = (params: Record<string, string>): Answer => {
      for (const [k, v] of Object.entries(params)) redirect.searchParams.set(k, v);
      const state = q.get('state');
      if (state !== null) redirect.searchParams.set('state', state);
      return { status: 302, body: '', contentType: 'text/plain', headers: { location: redirect.href } };
    };
    const fail = (spec: ErrorSpec) => back({ error: spec.error, error_description: `AADSTS${spec.aadsts ?? 0}: ${spec.description}` });
    const tid = tenantOf(tenantSegment);
    if (!tid) return fail({ error: 'invalid_request', aadsts: 90002, description: `Tenant '${tenantSegment}' not found.` });
    if (q.get('response_type') !== 'code') return fail({ error: 'unsupported_response_type', aadsts: 700054, description: "response_type must be 'code' for this sandbox." });
    if (!q.get('client_id')) return fail({ error: 'invalid_request', aadsts: 900144, description: "The request body must contain the following parameter: 'client_id'." });
    const challenge = q.get('code_challenge');
    const method = (q.get('code_challenge_method') ?? 'plain') as 'S256' | 'plain';
    if (!challenge || (method !== 'S256' && method !== 'plain')) return fail({ error: 'invalid_request', aadsts: 9002325, description: 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.' });
    const user = findUser(q.get('login_hint'));
    if (!user) return fail({ error: 'invalid_request', aadsts: 50034, description: `The user account ${q.get('login_hint')} does not exist in the directory.` });
    const code = `1.sbx.code.${randomText(32)}`;
    codes.set(code, { code, clientId: q.get('client_id') as string, redirectUri, challenge, method, scope: q.get('scope') ?? '', user, tid, expiresAt: ctx.now() + 600_000 });
    return back({ code, session_state: randomUUID() });
  }

  async function authorizationCodeGrant(form: URLSearchParams): Promise<Answer> {
    const injected = ctx.takeInjection('authorization_code');
    if (injected) return ctx.errorAnswer(injected);
    const pending = codes.get(form.get('code') ?? '');
    const invalidCode = { error: 'invalid_grant', aadsts: 70008, description: 'The provided authorization code or refresh token has expired due to inactivity or was already redeemed.' };
    if (!pending || pending.expiresAt < ctx.now()) return ctx.errorAnswer(invalidCode);
    codes.delete(pending.code);
    if (form.get('client_id') !== pending.clientId) return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 70000, description: 'The authorization code was issued to another client.' });
    if (form.get('redirect_uri') !== pending.redirectUri) return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 50148, description: 'The redirect_uri does not match the one of the authorization request.' });
    const verifier = form.get('code_verifier') ?? '';
    const expected = pending.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (!verifier || expected !== pending.challenge) return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 501481, description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' });
    const requested = (form.get('scope') || pending.scope).split(/\s+/).filter(Boolean);
    const api = requested.map(apiScopeOf).filter((s): s is string => s !== undefined);
    const graph = requested.filter((s) => GRAPH_PREFIXES.some((p) => s.toLowerCase().startsWith(p)));
    if (api.length > 0 && graph.length > 0) return ctx.errorAnswer({ error: 'invalid_request', aadsts: 28000, description: 'Provided value for the input parameter scope is not valid because it contains more than one resource.' });
    const sec = Math.floor(ctx.now() / 1000);
    const idToken = `${Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ aud: pending.clientId, iss: issuer(pending.tid), iat: sec, nbf: sec, exp: sec + 3600, name: pending.user.displayName, oid: pending.user.oid, preferred_username: pending.user.upn, sub: pending.user.oid, tid: pending.tid, ver: '2.0' }),
    ).toString('base64url')}.`;
    const accessToken =
      api.length > 0
        ? await apiToken(pending.user, { tenant: pending.tid, scp: api.join(' '), clientId: pending.clientId })
        : ctx.graphToken(pending.user, pending.tid, pending.clientId, graph.map((g) => g.replace(/^.*\//, '')).filter((g) => g !== '.default'));
    return {
      status: 200,
      body: { token_type: 'Bearer', scope: requested.filter((s) => s !== 'offline_access').join(' '), expires_in: ctx.accessLifetime, ext_expires_in: ctx.accessLifetime, access_token: accessToken, id_token: idToken, client_info: clientInfo(pending.user.oid, pending.tid) },
    };
  }

  /** The on-behalf-of exchange: the server app presents a person's API token and gets a Graph token for that person. */
  async function onBehalfOfGrant(tenantSegment: string, form: URLSearchParams): Promise<Answer> {
    const clientId = form.get('client_id') ?? '';
    if (clientId !== ctx.serverApp.clientId) return ctx.errorAnswer({ error: 'unauthorized_client', aadsts: 700016, description: `Application with identifier '${clientId}' was not found in the directory.` });
    const secret = form.get('client_secret');
    const assertionJwt = form.get('client_assertion');
    if (!secret && !assertionJwt) return ctx.errorAnswer({ error: 'invalid_client', aadsts: 7000218, status: 401, description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." });
    if (secret && secret !== ctx.serverApp.clientSecret) return ctx.errorAnswer({ error: 'invalid_client', aadsts: 7000215, status: 401, description: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.' });
    if (!secret && assertionJwt) {
      // A certificate credential: the sandbox does not hold the certificate, so it checks the assertion's shape and subject only.
      try {
        const c = decodeJwt(assertionJwt);
        if (c.iss !== clientId || c.sub !== clientId) throw new Error('subject');
      } catch {
        return ctx.errorAnswer({ error: 'invalid_client', aadsts: 700027, status: 401, description: 'Client assertion failed signature validation.' });
      }
    }
    if (form.get('requested_token_use') !== 'on_behalf_of') return ctx.errorAnswer({ error: 'invalid_request', aadsts: 50027, description: "requested_token_use must be 'on_behalf_of'." });
    const injected = ctx.takeInjection('on_behalf_of');
    if (injected) return ctx.errorAnswer({ ...injected, description: injected.description.replace('{app}', clientId) });
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(form.get('assertion') ?? '', localJwks, { algorithms: ['RS256'], clockTolerance: 0, currentDate: new Date(ctx.now()) }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 500133, description: 'Assertion is not within its valid time range.' });
      return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 50013, description: 'Assertion failed signature validation.' });
    }
    const aud = typeof claims.aud === 'string' ? claims.aud : '';
    if (aud !== ctx.serverApp.audience && aud !== `api://${ctx.serverApp.clientId}`) return ctx.errorAnswer(TEAM_FAILURES.wrong_audience);
    const tid = tenantOf(tenantSegment);
    if (!tid || claims.tid !== (GROUPS.has(tenantSegment.toLowerCase()) ? claims.tid : tid)) {
      return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 50013, description: 'Assertion is for another tenant.' });
    }
    const user = ctx.users.find((u) => u.oid === claims.oid);
    if (!user) return ctx.errorAnswer({ error: 'invalid_grant', aadsts: 50034, description: 'The user account does not exist in the directory.' });
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access', 'email'].includes(s));
    const granted = ctx.serverAppPermissions;
    let permissions: string[];
    if (scopes.some((s) => s.endsWith('/.default'))) permissions = [...granted];
    else {
      permissions = scopes.map((s) => s.replace(/^.*\//, ''));
      const missing = permissions.filter((p) => !granted.some((g) => g.toLowerCase() === p.toLowerCase()));
      if (missing.length > 0) return ctx.errorAnswer({ ...TEAM_FAILURES.consent_required, description: TEAM_FAILURES.consent_required.description.replace('{app}', clientId) });
    }
    const access = ctx.graphToken(user, claims.tid as string, clientId, permissions);
    return {
      status: 200,
      body: { token_type: 'Bearer', scope: permissions.map((p) => `https://graph.microsoft.com/${p}`).join(' '), expires_in: ctx.accessLifetime, ext_expires_in: ctx.accessLifetime, access_token: access, client_info: clientInfo(user.oid, claims.tid as string) },
    };
  }

  const identity: TeamIdentity = {
    users: ctx.users,
    serverApp: ctx.serverApp,
    tenantId: ctx.homeTenant,
    otherTenantId: SANDBOX_OTHER_TENANT_ID,
    issuer: (tid) => issuer(tid ?? ctx.homeTenant),
    issueApiToken(name, opts) {
      const user = findUser(name);
      if (!user) throw new Error(`No sandbox user "${name}". Users: ${ctx.users.map((u) => u.name).join(', ')}.`);
      return apiToken(user, opts);
    },
    signWithSandboxKey: sign,
    issueGraphToken(name) {
      const user = findUser(name);
      if (!user) throw new Error(`No sandbox user "${name}".`);
      return ctx.graphToken(user, ctx.homeTenant, 'aebc6443-996d-45c2-90f0-388ff96faa56', [...ctx.serverAppPermissions]);
    },
    jwks: () => ({ keys: [publicJwk] }),
  };

  return { identity, metadata, authorize, authorizationCodeGrant, onBehalfOfGrant, keys: (): Answer => ({ status: 200, body: { keys: [publicJwk] } }), tenantOf };
}
