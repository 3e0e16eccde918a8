/**
 * A fake Microsoft Entra v2.0 endpoint, served by the sandbox's HTTP server
 * at Entra's own paths (`/{tenant}/oauth2/v2.0/devicecode` and `/token`):
 * the device-code grant (with automatic approval after a delay), refresh
 * tokens that rotate on every use, client credentials, and injected
 * failures. Answers carry what MSAL needs: an (unsigned) id token and
 * `client_info`. The access tokens it issues name their permissions, and the
 * sandbox's Graph enforces them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxUser } from '../model.js';
import type { Grant } from './permissions.js';
import { clientInfo, idToken, randomText, signAccessToken, signRefreshToken, verifyAccessToken, verifyRefreshToken, type RefreshClaims } from './tokens.js';
import type { Answer, ErrorSpec } from './answers.js';
import { createTeam, DEFAULT_SERVER_APP_PERMISSIONS, JWT_BEARER_GRANT, TEAM_FAILURES, type TeamFailure } from './team.js';
import type { DirectoryUser } from './directory.js';
import type { DeviceCodeInfo, IdentityFailure, IdentityInjection, IdentityOptions, IdentityRequest, SandboxIdentity } from './types.js';

/** Host MSAL is told to trust for the sandbox (see src/auth/authority.ts, which uses the same name). */
export const SANDBOX_AUTHORITY_HOST = 'login.sandbox.invalid';
/** The sandbox tenant (recognisably fake). */
export const SANDBOX_TENANT_ID = 'c0de5a4d-b0c5-4e11-9a7e-5a4db0c5c0de';
/** Personal Microsoft accounts live in this tenant. */
const PERSONAL_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
const PERSONAL_OID = '00000000-0000-0000-a1b2-c3d4e5f60718';

/** RFC 8628's grant type; Entra (and MSAL) also use the short `device_code`. */
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const OIDC = new Set(['openid', 'profile', 'offline_access', 'email']);
/** Letters of Entra's user codes (no vowels, so no words). */
const CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const PATH_RE = /^\/([^/]+)\/oauth2\/v2\.0\/(devicecode|token)$/i;
/**
 * Metadata probes with the well-known segment first (RFC 8414 §3.1 path insertion, and OIDC discovery the same way):
 * MCP clients try `/.well-known/oauth-authorization-server/<tenant>/v2.0` and `/.well-known/openid-configuration/<tenant>/v2.0`
 * before `<issuer>/.well-known/openid-configuration`. Entra serves only the last, so the others get 404 here too, from
 * the identity side: they are sign-in traffic and belong in the identity log, not in Graph's.
 */
const WELL_KNOWN_FIRST_RE = /^\/\.well-known\//i;
/** Remote mode's paths (served when the sandbox has a team): OpenID metadata, keys, the authorization endpoint. */
const TEAM_PATH_RE = /^\/([^/]+)\/(?:(v2\.0\/\.well-known\/openid-configuration)|(discovery\/v2\.0\/keys)|(oauth2\/v2\.0\/authorize))$/i;
const GRAPH_RESOURCE_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);


const FAILURES: Readonly<Record<Exclude<IdentityFailure, TeamFailure>, ErrorSpec>> & Readonly<Record<TeamFailure, ErrorSpec>> = {
  ...TEAM_FAILURES,
  declined: { error: 'authorization_declined', description: 'The end user declined the authorization request.' },
  expired: { error: 'expired_token', aadsts: 70019, description: 'Verification code expired.' },
  bad_code: { error: 'bad_verification_code', aadsts: 70000, description: 'The device code was not recognised.' },
  consent_required: {
    error: 'invalid_grant',
    aadsts: 65001,
    suberror: 'consent_required',
    description: "The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.",
  },
  invalid_grant: { error: 'invalid_grant', aadsts: 700082, description: 'The refresh token has expired due to inactivity.' },
  mfa_required: { error: 'invalid_grant', aadsts: 50076, suberror: 'basic_action', description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.' },
  mfa_registration: { error: 'invalid_grant', aadsts: 50079, suberror: 'basic_action', description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access the resource.' },
  conditional_access: { error: 'invalid_grant', aadsts: 53003, description: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.' },
  unknown_client: { error: 'unauthorized_client', aadsts: 700016, description: "Application with identifier was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant." },
  not_public_client: { error: 'invalid_client', aadsts: 7000218, status: 401, description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." },
  personal_on_common: { error: 'invalid_grant', aadsts: 70000, description: 'The request was denied because one or more scopes requested are unauthorized or expired. The user must first sign in and grant the client application access to the requested scope.' },
  invalid_client_secret: { error: 'invalid_client', aadsts: 7000215, status: 401, description: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.' },
  unavailable: { error: 'temporarily_unavailable', aadsts: 90015, status: 503, description: 'The service is temporarily unavailable.' },
};

interface PendingCode extends DeviceCodeInfo {
  deviceCode: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
}


/** A verified sandbox access token: what it allows, or why it is refused. */
export type TokenCheck = { grant: Grant } | { refused: 'expired' };

/** Identity endpoint + test API, bound to one sandbox server. */
export interface IdentityEndpoint extends SandboxIdentity {
  /** True for the paths this endpoint serves. */
  handles(rawPath: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Checks a bearer token; undefined when it is not one of ours. */
  check(token: string): TokenCheck | undefined;
}


/** Creates the identity endpoint for the sandbox at `origin` serving `user`'s mailbox. */
export function createIdentityEndpoint(origin: string, user: SandboxUser, opts: IdentityOptions = {}): IdentityEndpoint {
  const now = opts.now ?? Date.now;
  let autoApproveMs: number | false = opts.autoApproveMs ?? 1500;
  const interval = () => opts.pollIntervalSeconds ?? (autoApproveMs === false ? 1 : Math.min(1, Math.max(0.01, autoApproveMs / 4000)));
  const accessLifetime = opts.accessTokenLifetimeSeconds ?? 3600;
  const codes: PendingCode[] = [];
  const injections: Array<IdentityInjection & { remaining: number }> = [];
  const requests: IdentityRequest[] = [];
  const consents = new Map<string, Set<string>>();
  /** Newest generation per refresh-token family (rotation: older generations are refused). */
  const families = new Map<string, number>();
  let accessNotBefore = 0;
  let refreshNotBefore = 0;
  let seq = 0;

  const personal = () => opts.accountType === 'personal';

  function takeInjection(on: IdentityInjection['on']): ErrorSpec | undefined {
    const i = injections.findIndex((x) => x.on === undefined || x.on === on);
    const hit = injections[i];
    if (!hit) return undefined;
    if (--hit.remaining <= 0) injections.splice(i, 1);
    return typeof hit.failure === 'string' ? FAILURES[hit.failure] : { ...hit.failure, description: hit.failure.description ?? hit.failure.error };
  }

  function errorAnswer(spec: ErrorSpec): Answer {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date(now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const description = `${spec.aadsts !== undefined ? `AADSTS${spec.aadsts}: ` : ''}${spec.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`;
    return {
      status: spec.status ?? 400,
      body: {
        error: spec.error,
        error_description: description,
        error_codes: spec.aadsts !== undefined ? [spec.aadsts] : [],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        ...(spec.suberror ? { suberror: spec.suberror } : {}),
        ...(spec.claims ? { claims: spec.claims } : {}),
        ...(spec.aadsts !== undefined ? { error_uri: `https://login.microsoftonline.com/error?code=${spec.aadsts}` } : {}),
      },
    };
  }

  /** Resource permissions of a `scope` parameter (bare, as Graph names them) and the prefix the client used. */
  function parseScopes(scope: string): { permissions: string[]; prefix: string; oidc: string[]; bad?: string } {
    let prefix = '';
    const permissions: string[] = [];
    const oidc: string[] = [];
    for (const s of scope.split(/\s+/).filter(Boolean)) {
      if (OIDC.has(s.toLowerCase())) {
        oidc.push(s.toLowerCase());
        continue;
      }
      const m = /^https:\/\/([^/]+)\/(.+)$/i.exec(s);
      if (m) {
        if (!GRAPH_RESOURCE_HOSTS.has((m[1] as string).toLowerCase())) return { permissions, prefix, oidc, bad: s };
        prefix = `https://${m[1]}/`;
        permissions.push(m[2] as string);
      } else permissions.push(s);
    }
    return { permissions, prefix, oidc };
  }

  function consented(clientId: string): Set<string> {
    let set = consents.get(clientId);
    if (!set) consents.set(clientId, (set = new Set()));
    return set;
  }

  /** What the user has consented to for a client (consents recorded for every client included). */
  function held(clientId: string): string[] {
    return union(consented(clientId), consents.get('*') ?? []);
  }

  /** Union of permission names, compared without case, keeping the first spelling. */
  function union(...lists: Iterable<string>[]): string[] {
    const out = new Map<string, string>();
    for (const list of lists) for (const p of list) if (!out.has(p.toLowerCase())) out.set(p.toLowerCase(), p);
    return [...out.values()];
  }

  function accountClaims(isPersonal: boolean, tenant: string): { oid: string; tid: string; upn: string; name: string } {
    if (isPersonal) return { oid: PERSONAL_OID, tid: PERSONAL_TENANT_ID, upn: user.mail.replace(/@.*$/, '@outlook.example'), name: user.displayName };
    // A specific tenant in the path is the tenant signed in to (a guest sign-in); groups of tenants mean the home tenant.
    const specific = !['common', 'organizations', 'consumers'].includes(tenant.toLowerCase());
    return { oid: user.id, tid: specific ? tenant : SANDBOX_TENANT_ID, upn: user.userPrincipalName, name: user.displayName };
  }

  function delegatedTokens(rt: Omit<RefreshClaims, 'iat_ms' | 'scp'>, granted: string[], p: { prefix: string; oidc: string[] }): Answer {
    const t = now();
    const sec = Math.floor(t / 1000);
    const acct = accountClaims(rt.personal, rt.tid);
    const access = delegatedGraphToken(acct, rt.cid, granted);
    families.set(rt.fam, rt.gen);
    const refresh = signRefreshToken({ ...rt, scp: granted, iat_ms: t });
    const id = idToken({
      aud: rt.cid,
      iss: `https://${SANDBOX_AUTHORITY_HOST}/${acct.tid}/v2.0`,
      iat: sec,
      nbf: sec,
      exp: sec + 3600,
      name: acct.name,
      oid: acct.oid,
      preferred_username: acct.upn,
      sub: randomText(16),
      tid: acct.tid,
      ver: '2.0',
    });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: [...granted.map((g) => p.prefix + g), ...p.oidc.filter((o) => o !== 'offline_access')].join(' '),
        expires_in: accessLifetime,
        ext_expires_in: accessLifetime,
        access_token: access,
        ...(p.oidc.includes('offline_access') ? { refresh_token: refresh } : {}),
        id_token: id,
        client_info: clientInfo(acct.oid, acct.tid),
      },
    };
  }

  /** A delegated Graph access token for a person (the format the sandbox's Graph checks). */
  function delegatedGraphToken(acct: { oid: string; tid: string; upn: string; name: string }, clientId: string, permissions: string[]): string {
    const t = now();
    const sec = Math.floor(t / 1000);
    return signAccessToken({
      aud: '00000003-0000-0000-c000-000000000000',
      iss: `https://sts.sandbox.invalid/${acct.tid}/`,
      tid: acct.tid,
      appid: clientId,
      idtyp: 'user',
      scp: permissions.join(' '),
      oid: acct.oid,
      upn: acct.upn,
      name: acct.name,
      iat: sec,
      nbf: sec,
      exp: sec + accessLifetime,
      iat_ms: t,
      uti: randomText(12),
    });
  }

  const team = opts.team
    ? createTeam({
        origin,
        homeTenant: SANDBOX_TENANT_ID,
        users: opts.team.users,
        serverApp: opts.team.serverApp,
        serverAppPermissions: opts.team.serverAppPermissions ?? DEFAULT_SERVER_APP_PERMISSIONS,
        accessLifetime,
        now,
        takeInjection: (on) => takeInjection(on),
        errorAnswer: (spec) => errorAnswer(spec),
        graphToken: (person: DirectoryUser, tid: string, clientId: string, permissions: string[]) => delegatedGraphToken({ oid: person.oid, tid, upn: person.upn, name: person.displayName }, clientId, permissions),
      })
    : undefined;

  function deviceCodeEndpoint(tenant: string, form: URLSearchParams): Answer {
    const injected = takeInjection('devicecode_endpoint');
    if (injected) return errorAnswer(injected);
    const clientId = form.get('client_id');
    if (!clientId) return errorAnswer({ error: 'invalid_request', aadsts: 900144, description: "The request body must contain the following parameter: 'client_id'." });
    const parsed = parseScopes(form.get('scope') ?? '');
    if (parsed.bad) return errorAnswer({ error: 'invalid_scope', aadsts: 70011, description: `The provided value for the input parameter 'scope' is not valid. The scope ${parsed.bad} is not valid.` });
    const t = now();
    const expiresIn = opts.deviceCodeExpiresInSeconds ?? 900;
    const userCode = Array.from(randomBytes(9), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
    const code: PendingCode = { deviceCode: randomText(48), userCode, clientId, tenant, state: 'pending', scopes: parsed.permissions, createdAt: t, expiresAt: t + expiresIn * 1000 };
    codes.push(code);
    const verificationUri = `${origin}/devicelogin`;
    const approval = autoApproveMs === false ? 'it is approved when a test calls approve()' : `it is approved automatically after ${autoApproveMs} ms`;
    return {
      status: 200,
      body: {
        user_code: userCode,
        device_code: code.deviceCode,
        verification_uri: verificationUri,
        expires_in: expiresIn,
        interval: interval(),
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate. (SANDBOX: ${approval}.)`,
      },
    };
  }

  function deviceCodeGrant(form: URLSearchParams): Answer {
    const code = codes.find((c) => c.deviceCode === form.get('device_code'));
    const injected = takeInjection('device_code');
    if (injected) {
      if (code && injected.error === 'authorization_declined') code.state = 'declined';
      return errorAnswer(injected);
    }
    if (!code) return errorAnswer(FAILURES.bad_code);
    if (now() > code.expiresAt) return errorAnswer(FAILURES.expired);
    if (code.state === 'declined') return errorAnswer(FAILURES.declined);
    if (code.state === 'redeemed') return errorAnswer({ error: 'invalid_grant', aadsts: 54005, description: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' });
    if (code.state === 'pending' && autoApproveMs !== false && now() - code.createdAt >= autoApproveMs) code.state = 'approved';
    if (code.state === 'pending') return errorAnswer({ error: 'authorization_pending', aadsts: 70016, description: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' });
    code.state = 'redeemed';
    const parsed = parseScopes(form.get('scope') ?? '');
    // Entering the code is the consent: the user agrees to what was asked for.
    for (const p of code.scopes) consented(code.clientId).add(p);
    const isPersonal = personal();
    const tid = accountClaims(isPersonal, code.tenant).tid;
    return delegatedTokens({ sub: isPersonal ? PERSONAL_OID : user.id, tid, personal: isPersonal, cid: code.clientId, fam: randomText(9), gen: 1 }, union(code.scopes, held(code.clientId)), parsed);
  }

  function refreshGrant(tenant: string, form: URLSearchParams): Answer {
    const injected = takeInjection('refresh_token');
    if (injected) return errorAnswer(injected);
    const rt = verifyRefreshToken(form.get('refresh_token') ?? '');
    if (!rt) return errorAnswer({ error: 'invalid_grant', aadsts: 9002313, description: 'Invalid request. Request is malformed or invalid.' });
    if (rt.cid !== form.get('client_id')) return errorAnswer({ error: 'invalid_grant', aadsts: 70000, description: 'Provided grant is invalid or malformed: the refresh token was issued to another client.' });
    const newest = families.get(rt.fam);
    if ((newest !== undefined && rt.gen < newest) || rt.iat_ms <= refreshNotBefore) {
      return errorAnswer({ error: 'invalid_grant', aadsts: 700082, description: 'The refresh token has expired or was already used (refresh tokens rotate: use the newest one).' });
    }
    if (rt.personal && tenant.toLowerCase() === 'common') return errorAnswer(FAILURES.personal_on_common);
    const parsed = parseScopes(form.get('scope') ?? '');
    const holds = union(rt.scp, held(rt.cid));
    const missing = parsed.permissions.filter((p) => !holds.some((h) => h.toLowerCase() === p.toLowerCase()));
    if (missing.length > 0) {
      return errorAnswer({ ...FAILURES.consent_required, description: `The user or administrator has not consented to use the application for ${missing.join(', ')}. Send an interactive authorization request for this user and resource.` });
    }
    return delegatedTokens({ sub: rt.sub, tid: rt.tid, personal: rt.personal, cid: rt.cid, fam: rt.fam, gen: rt.gen + 1 }, holds, parsed);
  }

  function clientCredentialsGrant(tenant: string, form: URLSearchParams): Answer {
    const injected = takeInjection('client_credentials');
    if (injected) return errorAnswer(injected);
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret');
    if (!secret && !form.get('client_assertion')) return errorAnswer(FAILURES.not_public_client);
    const expected = opts.clientSecrets?.[clientId];
    if (expected !== undefined && secret !== expected) return errorAnswer(FAILURES.invalid_client_secret);
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const m = scopes.length === 1 ? /^https:\/\/([^/]+)\/\.default$/i.exec(scopes[0] as string) : null;
    if (!m || !GRAPH_RESOURCE_HOSTS.has((m[1] as string).toLowerCase())) {
      return errorAnswer({ error: 'invalid_scope', aadsts: 1002012, description: 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).' });
    }
    const t = now();
    const sec = Math.floor(t / 1000);
    const tid = ['common', 'organizations', 'consumers'].includes(tenant.toLowerCase()) ? SANDBOX_TENANT_ID : tenant;
    const access = signAccessToken({
      aud: '00000003-0000-0000-c000-000000000000',
      iss: `https://sts.sandbox.invalid/${tid}/`,
      tid,
      appid: clientId,
      idtyp: 'app',
      roles: opts.appRoles ?? ['Mail.Read', 'Calendars.Read', 'User.Read.All'],
      iat: sec,
      nbf: sec,
      exp: sec + accessLifetime,
      iat_ms: t,
      uti: randomText(12),
    });
    return { status: 200, body: { token_type: 'Bearer', expires_in: accessLifetime, ext_expires_in: accessLifetime, access_token: access } };
  }

  async function answer(method: string, path: string, search: string, raw: Buffer, entry: IdentityRequest): Promise<Answer> {
    if (WELL_KNOWN_FIRST_RE.test(path)) return { status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not Found' };
    const t = team && TEAM_PATH_RE.exec(path);
    if (team && t) {
      entry.tenant = t[1] as string;
      if (method !== 'GET') return errorAnswer({ error: 'invalid_request', aadsts: 900561, description: 'The endpoint only accepts GET requests.' });
      if (t[2]) return (entry.endpoint = 'openid-configuration'), team.metadata(entry.tenant);
      if (t[3]) return (entry.endpoint = 'keys'), team.keys();
      entry.endpoint = 'authorize';
      const q = new URLSearchParams(search);
      entry.clientId = q.get('client_id') ?? undefined;
      entry.scope = q.get('scope') ?? undefined;
      entry.loginHint = q.get('login_hint') ?? undefined;
      entry.codeChallengeMethod = q.get('code_challenge_method') ?? undefined;
      entry.resource = q.get('resource') ?? undefined;
      entry.redirectUri = q.get('redirect_uri') ?? undefined;
      return team.authorize(entry.tenant, q);
    }
    if (path.toLowerCase() === '/devicelogin') {
      entry.endpoint = 'devicelogin';
      const how = autoApproveMs === false ? 'Codes are approved only by the test API.' : `Codes are approved automatically ${autoApproveMs} ms after they are issued; there is nothing to enter.`;
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: `mcp-server-outlook SANDBOX sign-in page. ${how}\n` };
    }
    const m = PATH_RE.exec(path);
    if (!m) return errorAnswer({ error: 'invalid_request', aadsts: 900561, description: 'The endpoint only accepts POST requests.' });
    const tenant = m[1] as string;
    entry.tenant = tenant;
    entry.endpoint = (m[2] as string).toLowerCase() as 'devicecode' | 'token';
    if (method !== 'POST') return errorAnswer({ error: 'invalid_request', aadsts: 900561, description: 'The endpoint only accepts POST requests.' });
    const form = new URLSearchParams(raw.toString('utf8'));
    entry.clientId = form.get('client_id') ?? undefined;
    entry.scope = form.get('scope') ?? undefined;
    if (entry.endpoint === 'devicecode') return deviceCodeEndpoint(tenant, form);
    const grantType = form.get('grant_type') ?? '';
    entry.grantType = grantType;
    if (grantType === DEVICE_GRANT || grantType === 'device_code') return deviceCodeGrant(form);
    if (grantType === 'refresh_token') return refreshGrant(tenant, form);
    if (grantType === 'client_credentials') return clientCredentialsGrant(tenant, form);
    if (team && grantType === 'authorization_code') return team.authorizationCodeGrant(form);
    if (team && grantType === JWT_BEARER_GRANT) return team.onBehalfOfGrant(tenant, form);
    return errorAnswer({ error: 'unsupported_grant_type', aadsts: 70003, description: `The app requested an unsupported grant type '${grantType}'.` });
  }

  function pick(userCode: string | undefined): PendingCode | undefined {
    const pending = codes.filter((c) => c.state === 'pending');
    return userCode === undefined ? pending[pending.length - 1] : pending.find((c) => c.userCode === userCode);
  }

  return {
    ...(team ? { team: team.identity } : {}),
    authorityHost: SANDBOX_AUTHORITY_HOST,
    origin,
    tenantId: SANDBOX_TENANT_ID,
    get requests() {
      return requests;
    },
    get deviceCodes() {
      return codes.map(({ userCode, clientId, tenant, state }) => ({ userCode, clientId, tenant, state }));
    },
    inject(i) {
      const times = i.times ?? 1;
      if (times > 0) injections.push({ ...i, remaining: times });
    },
    approve(userCode) {
      const c = pick(userCode);
      if (c) c.state = 'approved';
    },
    decline(userCode) {
      const c = pick(userCode);
      if (c) c.state = 'declined';
    },
    setAutoApprove(ms) {
      autoApproveMs = ms;
    },
    expireAccessTokens() {
      accessNotBefore = now();
    },
    revokeRefreshTokens() {
      refreshNotBefore = now();
    },
    consent(permissions, clientId) {
      for (const p of permissions) consented(clientId ?? '*').add(p);
    },
    clearLog() {
      requests.length = 0;
    },
    handles(rawPath) {
      return PATH_RE.test(rawPath) || WELL_KNOWN_FIRST_RE.test(rawPath) || rawPath.toLowerCase() === '/devicelogin' || (team !== undefined && TEAM_PATH_RE.test(rawPath));
    },
    async serve(req, res) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const method = (req.method ?? 'GET').toUpperCase();
      const entry: IdentityRequest = { seq: ++seq, time: new Date(now()).toISOString(), method, path, tenant: '', endpoint: 'other', status: 0 };
      const origin = req.headers.origin;
      if (origin) entry.origin = origin;
      const a = await answer(method, path, q < 0 ? '' : url.slice(q + 1), Buffer.concat(chunks), entry);
      entry.status = a.status;
      const err = (a.body as { error?: unknown } | undefined)?.error;
      if (typeof err === 'string') entry.error = err;
      requests.push(entry);
      const payload = Buffer.from(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
      res.writeHead(a.status, { 'content-type': a.contentType ?? 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-ms-request-id': randomUUID(), 'content-length': String(payload.length), ...a.headers });
      res.end(payload);
    },
    check(token) {
      const claims = verifyAccessToken(token);
      if (!claims) return undefined;
      if (claims.exp * 1000 <= now() || claims.iat_ms <= accessNotBefore) return { refused: 'expired' };
      const names = claims.idtyp === 'app' ? (claims.roles ?? []) : (claims.scp ?? '').split(' ').filter(Boolean);
      return { grant: { appOnly: claims.idtyp === 'app', permissions: new Set(names.map((n) => n.toLowerCase())), personal: claims.tid === PERSONAL_TENANT_ID, ...(claims.oid ? { oid: claims.oid } : {}) } };
    },
  };
}
