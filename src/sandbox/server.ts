/**
 * The sandbox's HTTP server: a loopback fake of Microsoft Graph v1.0. Each
 * request passes through auth, injected failures, the route table and Graph's
 * response conventions (request ids, OData content type, error bodies), and
 * is recorded, with its credential redacted, for tests to inspect.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HandlerResult, RequestContext, SandboxState } from './context.js';
import { GraphErrorResponse, badPayload, errorBody, segmentNotFound } from './errors.js';
import { Injections } from './injection.js';
import { isThisUser, unknownUser } from './lookup.js';
import { groupGrantRefusal, seedGroups, serveGroups, type SandboxGroup } from './groups.js';
import { accessOf, accessRefusal, buildOtherMailbox, otherMailboxNamed, personName, type OtherMailbox, type OtherMailboxAccess } from './other-mailboxes.js';
import type { SandboxMailbox } from './model.js';
import { readQuery } from './odata/query.js';
import { PageTokens } from './paging.js';
import { formatPreferenceApplied, parsePrefer, type AppliedPreferences } from './prefer.js';
import { loggedBody, recordedRequest, redactHeaders, redactQuery } from './request-log.js';
import { Router } from './router.js';
import { ROUTES } from './routes.js';
import { createIdentityEndpoint, type IdentityEndpoint } from './identity/endpoint.js';
import { directoryUsers, mailboxFor, sandboxServerApp, type DirectoryUser } from './identity/directory.js';
import { checkGrant, type Grant } from './identity/permissions.js';
import { UPLOAD_PREFIX, handleUpload } from './upload-routes.js';
import type { Notification, RecordedRequest, Sandbox, SandboxOptions, SandboxStore } from './types.js';
import { SavedStateError, decodeSavedState, encodeSavedState, newSavedState, type SavedSandbox } from './saved-state.js';

const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const WWW_AUTHENTICATE = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

interface Outcome {
  status: number;
  headers: Record<string, string>;
  payload?: Buffer;
}

/** A JWT-shaped random token, so clients that log token shapes see something realistic. */
function randomToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'none' })}.${part({ aud: 'https://graph.microsoft.com', iss: 'sandbox', nonce: randomBytes(12).toString('hex') })}.${randomBytes(32).toString('base64url')}`;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may make a request: the sandbox's ready token may do anything (no
 * grant); a token from the identity endpoint may do what its permissions
 * allow (a grant); anything else is Graph's 401.
 */
function authorize(header: string | undefined, token: string, identity: IdentityEndpoint | undefined): { grant?: Grant } {
  const m = /^Bearer\s+(\S.*)$/i.exec(header?.trim() ?? '');
  const given = m ? (m[1] as string).trim() : undefined;
  if (given !== undefined && !sameToken(given, token)) {
    const checked = identity?.check(given);
    if (checked && 'grant' in checked) return { grant: checked.grant };
    if (checked) throw new GraphErrorResponse(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': WWW_AUTHENTICATE });
  }
  const denied = authError(header, token);
  if (denied) throw denied;
  return {};
}

/** Graph's answer for a token of a person without a mailbox here. */
function unknownMailbox(): never {
  throw new GraphErrorResponse(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
}

/**
 * What the log keeps of a bearer token: its audience (read, not verified) and
 * a SHA-256 fingerprint, so tests can prove which tokens reached Graph
 * without the log holding any token.
 */
function bearerOf(authorization: string | undefined): Pick<RecordedRequest, 'bearerAudience' | 'bearerSha256'> {
  const m = /^Bearer\s+(\S+)/i.exec(authorization?.trim() ?? '');
  if (!m) return {};
  const token = m[1] as string;
  let aud: unknown;
  try {
    aud = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown }).aud;
  } catch {
    aud = undefined;
  }
  return { bearerSha256: createHash('sha256').update(token).digest('hex'), ...(typeof aud === 'string' ? { bearerAudience: aud } : {}) };
}

function authError(header: string | undefined, token: string): GraphErrorResponse | undefined {
  const m = /^Bearer\s+(\S.*)$/i.exec(header?.trim() ?? '');
  if (m && sameToken((m[1] as string).trim(), token)) return undefined;
  const headers = { 'www-authenticate': WWW_AUTHENTICATE };
  if (!m) return new GraphErrorResponse(401, 'InvalidAuthenticationToken', 'Access token is empty.', headers);
  const given = (m[1] as string).trim();
  if (given.split('.').length !== 3) return new GraphErrorResponse(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed, there are no dots (.).', headers);
  return new GraphErrorResponse(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', headers);
}

function jsonOutcome(status: number, body: unknown, headers: Record<string, string> = {}): Outcome {
  return { status, headers: { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...headers }, payload: Buffer.from(JSON.stringify(body)) };
}

function fromResult(r: HandlerResult): Outcome {
  if ('json' in r) return jsonOutcome(r.status, r.json, r.headers);
  if ('bytes' in r) return { status: r.status, headers: { 'content-type': r.contentType }, payload: r.bytes };
  return { status: r.status, headers: { ...r.headers } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): { ok: boolean; value?: unknown } {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

interface Parsed {
  method: string;
  rawPath: string;
  path: string;
  search: string;
}

function parseUrl(req: IncomingMessage): Parsed {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Left encoded; routing reports the broken segment.
  }
  return { method: (req.method ?? 'GET').toUpperCase(), rawPath, path, search: q < 0 ? '' : url.slice(q + 1) };
}

/** Starts a sandbox on loopback. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const startedAt = Date.now();
  const now = opts.now;
  const clock = now ? () => new Date(now.getTime() + (Date.now() - startedAt)) : () => new Date();
  const store = opts.mailbox ? undefined : opts.store;
  // Loaded on demand: tests that bring their own mailbox skip building the seed.
  const seed = async (): Promise<SandboxMailbox> => (await import('./seed/index.js')).createSeedMailbox(now ?? new Date());
  const saved = store ? await openSaved(store, async () => newSavedState(await seed(), now ?? new Date(), opts.token ?? randomToken())) : undefined;
  if (opts.team && store) throw new Error('A sandbox with a team keeps its mailboxes in memory: start it without a store.');
  const seeded: SandboxMailbox = opts.mailbox ?? saved?.mailbox ?? (await seed());
  const teamOpts = opts.team === true ? {} : opts.team || undefined;
  const people = teamOpts ? directoryUsers(seeded.user, Math.max(3, teamOpts.users ?? 3)) : undefined;
  // In team mode every person, the seed's owner included, gets the seed plus one message of their own.
  const mailbox: SandboxMailbox = people ? mailboxFor(people[0] as DirectoryUser, seeded) : seeded;
  const token = opts.token ?? saved?.token ?? randomToken();
  // Grants name people as the directory does; the seed's owner has the default access (other-mailboxes.ts).
  const ownerName = personName(mailbox.user.userPrincipalName);
  // Other people's mailboxes: from the saved file, else built on first use from a fresh seed (never from the
  // owner's current mailbox, which holds the owner's drafts). A file saved before they were kept gets them on its next write.
  const otherMailboxes = new Map<string, SandboxMailbox>(saved?.others);
  const othersSeed = saved && !saved.others ? await seed() : seeded;
  const host = opts.host ?? '127.0.0.1';
  let latencyMs = opts.latencyMs ?? 0;
  const router = new Router(ROUTES);
  const injections = new Injections();
  const requests: RecordedRequest[] = [];
  const notifications: Notification[] = [];
  let groups: SandboxGroup[] | undefined;
  /** The seeded groups, made on first use in the seed user's domain. */
  const groupsOf = (m: SandboxMailbox) => (groups ??= seedGroups(m.user.userPrincipalName.replace(/^[^@]*@/, '').toLowerCase(), now ?? new Date()));
  let inFlight = 0;
  let maxInFlight = 0;
  let seq = 0;

  /** `other`: the request names another person's mailbox, and what the requesting person may do there. */
  function route(s: SandboxState, p: Parsed, body: { ok: boolean; value?: unknown }, req: IncomingMessage, applied: AppliedPreferences, grant: Grant | undefined, other: { access: OtherMailboxAccess } | undefined): HandlerResult {
    const mailbox = s.mailbox;
    const m = /^\/v1\.0(?:\/|$)/i.exec(p.rawPath);
    if (!m) throw new GraphErrorResponse(400, 'BadRequest', `Invalid version: ${p.rawPath.split('/')[1] ?? ''}`);
    const rawSegments = p.rawPath.slice(m[0].length).split('/');
    if (rawSegments[rawSegments.length - 1] === '') rawSegments.pop();
    const segments = rawSegments.map((seg) => {
      try {
        return decodeURIComponent(seg);
      } catch {
        throw segmentNotFound(seg);
      }
    });
    const first = (segments[0] ?? '').toLowerCase();
    let rest: string[] = [];
    // Below /groups: a Microsoft 365 group's directory entry and conversations (read-only, src/sandbox/groups.ts).
    const groupPath = first === 'groups' ? segments.slice(1) : undefined;
    if (groupPath) {
      const refused = groupGrantRefusal(grant);
      if (refused) throw refused;
    } else if (first === 'me') rest = segments.slice(1);
    else if (first === 'users' && segments[1] !== undefined) {
      if (!isThisUser(mailbox.user, segments[1])) throw unknownUser(segments[1], segments.length > 2);
      rest = segments.slice(2);
    } else throw segmentNotFound(segments[0] ?? '');
    // A token from the identity endpoint: its permissions and its person's rights; the ready token: that person's rights.
    // Group paths are checked by the group routes themselves (membership, Group.Read.All).
    const refused = groupPath ? undefined : grant ? checkGrant(grant, p.method, rest, first === 'me', other) : other && accessRefusal(other.access, rest);
    if (refused) throw refused;
    const match = groupPath ? undefined : router.match(p.method, rest);

    let query = readQuery(p.search);
    let resumeOffset: number | undefined;
    const routeKey = p.path.toLowerCase();
    const skiptoken = query.$skiptoken;
    if (skiptoken !== undefined) {
      // A nextLink is followed whole: nothing may be added to or changed in it.
      if (Object.keys(query).length > 1) throw new GraphErrorResponse(400, 'BadRequest', 'A request with $skiptoken must be the @odata.nextLink exactly as returned; do not add or change query options.');
      const page = s.pages.decode(skiptoken, routeKey);
      query = page.query;
      resumeOffset = page.offset;
    }
    if (!body.ok && (p.method === 'POST' || p.method === 'PATCH' || p.method === 'PUT')) throw badPayload(false);
    const prefer = parsePrefer(req.headers.prefer);
    if (prefer.immutableId) applied.immutableId = true;
    const ctx: RequestContext = {
      state: s,
      method: p.method,
      params: match?.params ?? {},
      query,
      ...(resumeOffset !== undefined ? { resumeOffset } : {}),
      routeKey,
      rawPathname: p.rawPath,
      prefer,
      applied,
      body: body.value,
      entityRoot: `users('${mailbox.user.id}')`,
      path: p.path,
    };
    return match ? match.handler(ctx) : serveGroups(groupsOf(mailbox), groupPath ?? [], ctx);
  }

  /** `uploadHost`: the upload host's public origin when the request reached its listener. */
  async function handle(defaultState: SandboxState, identity: IdentityEndpoint, req: IncomingMessage, res: ServerResponse, uploadHost?: string): Promise<void> {
    let s = defaultState;
    const startedAt = Date.now();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const mySeq = ++seq;
    const raw = await readBody(req);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const requestId = randomUUID();
    const clientRequestId = header(req, 'client-request-id') || requestId;
    const p = parseUrl(req);
    const body = parseJson(raw);
    const applied: AppliedPreferences = {};
    let outcome: Outcome;
    try {
      // The upload host serves upload URLs only; once it exists, the Graph host no longer does (they fall through to Graph's routing).
      if (uploadHost !== undefined && !p.path.startsWith(UPLOAD_PREFIX)) throw new GraphErrorResponse(404, 'ErrorItemNotFound', 'The upload host serves only upload URLs.');
      if (p.path.startsWith(UPLOAD_PREFIX) && (uploadHost !== undefined || !opts.uploadOrigin)) {
        // Pre-authenticated upload URLs live outside /v1.0 and check no bearer token (they refuse one).
        // In team mode the session's own mailbox is the one that opened it.
        const token = p.path.slice(UPLOAD_PREFIX.length).split('/')[0] ?? '';
        s = [...teamStates.values()].find((st) => st.uploads.has(token)) ?? defaultState;
        const up = await persisted(p.method, () => handleUpload(s, p.method, p.path, header(req, 'authorization'), header(req, 'content-range'), raw));
        outcome = up.json === undefined ? { status: up.status, headers: {} } : jsonOutcome(up.status, up.json);
      } else {
      const { grant } = authorize(header(req, 'authorization'), token, identity);
      // Graph serves the mailbox of the person the token stands for.
      if (people && grant?.oid) s = teamStates.get(grant.oid) ?? (grant.oid === mailbox.user.id ? defaultState : unknownMailbox());
      // Another person's mailbox named in the path (shared, delegated or refused) is served from its own state,
      // one per mailbox (a team shares it), and the requesting person's rights there are checked on every request.
      const named = /^\/v1\.0\/users\/([^/]+)/i.exec(p.path)?.[1];
      const other = named !== undefined && !isThisUser(s.mailbox.user, named) ? otherMailboxNamed(s.mailbox, named) : undefined;
      const access = other ? accessOf(personName(s.mailbox.user.userPrincipalName), ownerName, other, opts.grants) : undefined;
      if (other) s = otherState(s, other);
      const injected = injections.take(p.method, p.path, p.rawPath);
      if (injected) throw injected;
      outcome = await persisted(p.method, () => fromResult(route(s, p, body, req, applied, grant, access && { access })), p.path);
      }
    } catch (e) {
      const err = e instanceof GraphErrorResponse ? e : new GraphErrorResponse(500, 'UnknownError', e instanceof Error ? e.message : String(e));
      outcome = jsonOutcome(err.status, errorBody(err.code, err.message, requestId, clientRequestId, clock()), err.headers);
    }
    const headers: Record<string, string> = { ...outcome.headers, 'request-id': requestId, 'client-request-id': clientRequestId };
    const preferenceApplied = formatPreferenceApplied(applied);
    if (preferenceApplied && outcome.status < 400) headers['preference-applied'] = preferenceApplied;
    headers['content-length'] = String(outcome.payload?.length ?? 0);
    res.writeHead(outcome.status, headers);
    res.end(outcome.payload);
    const endedAt = Date.now();
    requests.push(
      recordedRequest({
        seq: mySeq,
        method: p.method,
        path: p.path,
        rawPath: p.rawPath,
        query: redactQuery(p.search, token),
        headers: redactHeaders(req.headers),
        hadAuthorization: req.headers.authorization !== undefined,
        ...(uploadHost !== undefined ? { host: uploadHost } : {}),
        ...bearerOf(req.headers.authorization),
        mailbox: s.mailbox.user.userPrincipalName,
        body: loggedBody(raw, body),
        status: outcome.status,
        time: clock().toISOString(),
        startedAt,
        endedAt,
      }),
    );
  }

  const server = createServer();
  const origin = await listen(server, host, opts.port ?? 0);
  // Graph's upload URLs are on another host (outlook.office.com): a listener of their own, so a test can tell where a PUT went.
  const uploadServer = opts.uploadOrigin ? createServer() : undefined;
  let uploadHost: { publicOrigin: string; origin: string } | undefined;
  try {
    if (uploadServer && opts.uploadOrigin) uploadHost = { publicOrigin: opts.uploadOrigin.replace(/\/+$/, ''), origin: await listen(uploadServer, host, 0) };
  } catch (err) {
    server.close();
    throw err;
  }
  const url = `${origin}/v1.0`;
  const publicOrigin = opts.publicOrigin?.replace(/\/+$/, '') ?? origin;
  const publicUrl = `${publicOrigin}/v1.0`;
  const pages = new PageTokens(saved ? Buffer.from(saved.pageKey, 'base64') : undefined);
  const state: SandboxState = { mailbox, notifications, pages, clock, pageSizeCap: opts.pageSizeCap ?? pageSizeFromEnv(), texts: new WeakMap(), searchDocs: new WeakMap(), url: publicUrl, origin: publicOrigin, uploadOrigin: uploadHost?.publicOrigin ?? publicOrigin, uploads: new Map(), deltas: new Map(saved?.deltas) };

  /** Takes in what another process saved (in place: handlers and tests hold `mailbox`). */
  const adopt = (text: string | undefined) => {
    if (text === undefined || !store) return;
    const fresh = decodeSavedState(text, store.location);
    Object.assign(mailbox, fresh.mailbox);
    for (const [upn, box] of fresh.others ?? []) {
      const known = otherMailboxes.get(upn);
      if (known) Object.assign(known, box);
      else otherMailboxes.set(upn, box);
    }
    state.deltas.clear();
    for (const [k, v] of fresh.deltas ?? []) state.deltas.set(k, v);
  };
  const snapshot = (): SavedSandbox => ({ seededAt: saved?.seededAt ?? new Date().toISOString(), pageKey: saved?.pageKey ?? '', token, mailbox, deltas: state.deltas, others: otherMailboxes });
  /**
   * Runs a handler on the current saved mailbox. Reads only reload; anything
   * else may change the mailbox (or, for delta reads, the sync states), so it runs under the cross-process lock and is
   * saved before it is answered: two processes never lose each other's writes.
   */
  async function persisted<T>(method: string, fn: () => T, path = ''): Promise<T> {
    if (!store) return fn();
    // A delta read records a sync state: the next process must find it, so it is saved like a write.
    if ((method === 'GET' || method === 'HEAD') && !/\/delta$/i.test(path)) {
      adopt(await store.changed());
      return fn();
    }
    return store.locked(async () => {
      adopt(await store.changed());
      try {
        return fn();
      } finally {
        await store.save(encodeSavedState(snapshot()));
      }
    });
  }
  const serverApp = people ? sandboxServerApp() : undefined;
  const identity = createIdentityEndpoint(origin, mailbox.user, people && serverApp ? { ...opts.identity, team: { users: people, serverApp, serverAppPermissions: teamOpts?.serverAppPermissions } } : opts.identity);
  const teamStates = new Map<string, SandboxState>();
  const otherStates = new Map<string, SandboxState>();
  /** The state of another person's mailbox (one per mailbox, whoever opens it), made on first use or from the saved file. */
  const otherState = (base: SandboxState, other: OtherMailbox & { upn: string }): SandboxState => {
    let st = otherStates.get(other.upn);
    if (!st) {
      const box = otherMailboxes.get(other.upn) ?? buildOtherMailbox(othersSeed, other);
      otherMailboxes.set(other.upn, box);
      otherStates.set(other.upn, (st = { ...state, notifications: base.notifications, mailbox: box, texts: new WeakMap(), searchDocs: new WeakMap(), uploads: new Map(), deltas: new Map() }));
    }
    return st;
  };
  for (const person of people?.slice(1) ?? []) {
    teamStates.set(person.oid, { ...state, mailbox: mailboxFor(person, seeded), notifications, texts: new WeakMap(), searchDocs: new WeakMap(), uploads: new Map(), deltas: new Map() });
  }
  // Requests are served only once the origin (needed for nextLinks) is known.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const work = identity.handles(parseUrl(req).rawPath) ? identity.serve(req, res) : handle(state, identity, req, res);
    work.catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  uploadServer?.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(state, identity, req, res, uploadHost?.publicOrigin).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  return {
    url,
    origin,
    publicUrl,
    ...(uploadHost ? { uploadHost } : {}),
    token,
    mailbox,
    get requests() {
      return requests;
    },
    get notifications() {
      return notifications;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    identity,
    mailboxOf(person) {
      const p = people?.find((u) => u.name === person.toLowerCase() || u.upn.toLowerCase() === person.toLowerCase());
      if (!p) return person.toLowerCase() === mailbox.user.userPrincipalName.toLowerCase() ? mailbox : otherMailboxes.get(person.toLowerCase());
      return p.oid === mailbox.user.id ? mailbox : teamStates.get(p.oid)?.mailbox;
    },
    inject: (i) => injections.add(i),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    expireDeltaTokens: () => state.deltas.clear(),
    clearLog: () => {
      requests.length = 0;
      notifications.length = 0;
      maxInFlight = inFlight;
    },
    close: async () => {
      await Promise.all([server, uploadServer].map((srv) => srv && closeServer(srv)));
    },
  };
}

/** Listens on `host:port` (0: any free port) and returns the loopback origin. */
async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * `OUTLOOK_SANDBOX_PAGE_SIZE=1` makes every collection (expanded ones included)
 * page one item at a time: the test suite runs once in that mode, so no read
 * that takes only the first page can pass.
 */
function pageSizeFromEnv(): number | undefined {
  const raw = process.env.OUTLOOK_SANDBOX_PAGE_SIZE?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`OUTLOOK_SANDBOX_PAGE_SIZE="${raw}" is not a whole number of at least 1.`);
  return n;
}

async function openSaved(store: SandboxStore, init: () => Promise<SavedSandbox>): Promise<SavedSandbox> {
  const text = await store.open(async () => encodeSavedState(await init()));
  try {
    return decodeSavedState(text, store.location);
  } catch (err) {
    if (err instanceof SavedStateError) throw new SavedStateError(`${err.message} Start it afresh: ${store.resetAdvice ?? 'mcp-server-outlook sandbox reset'}`);
    throw err;
  }
}

/** The text of a freshly seeded sandbox state (what `sandbox reset` saves). */
export async function freshSandboxState(now: Date = new Date()): Promise<string> {
  const { createSeedMailbox } = await import('./seed/index.js');
  return encodeSavedState(newSavedState(createSeedMailbox(now), now, randomToken()));
}
