/**
 * The only module that reads the environment. It turns `OUTLOOK_*` variables
 * into one frozen, validated `Config` that is passed down to everything else,
 * so tests build configs from plain objects and no code reaches for
 * `process.env` on its own.
 */
import { UserFacingError } from '../errors.js';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE_SETTINGS, turnOn } from './advice.js';
import { CLOUDS, type CloudName, type CloudEndpoints } from './clouds.js';
import { isValidTimeZone, systemTimeZone } from '../text/dates.js';

/**
 * `delegated`: a person signs in on this machine (device code). `service-principal`: the app's own
 * permissions (client credentials). `obo`: remote mode; each request's user token is exchanged on
 * behalf of that person (needs OUTLOOK_TRANSPORT=http).
 */
export type AuthMode = 'delegated' | 'service-principal' | 'obo';
export type Transport = 'stdio' | 'http';

/** Remote mode (OUTLOOK_TRANSPORT=http): where it listens and what it accepts. */
export interface HttpConfig {
  /** OUTLOOK_HTTP_HOST, default 127.0.0.1. */
  readonly host: string;
  /** OUTLOOK_HTTP_PORT, default 8080 (0 = any free port). */
  readonly port: number;
  /** OUTLOOK_PUBLIC_URL: the canonical URL clients use, without a trailing slash; the MCP endpoint is `${publicUrl}/mcp`. */
  readonly publicUrl: string;
  /** Hostnames of OUTLOOK_ALLOWED_ORIGINS (browser origins allowed to call). */
  readonly allowedOriginHosts: readonly string[];
  /** OUTLOOK_ALLOWED_TENANTS: tenant ids whose users may call (lower case). */
  readonly allowedTenants: readonly string[];
  /** OUTLOOK_API_SCOPE: the delegated scope of the server's API, e.g. `api://<client id>/access_as_user`. */
  readonly apiScope: string;
  /** Accepted `aud` values: OUTLOOK_API_AUDIENCE, else the client id and `api://<client id>`. */
  readonly audiences: readonly string[];
  /** OUTLOOK_STATE_SECRET (read once, with the state store's settings): keys the per-user hash, approval keys and the shared OBO cache. */
  readonly stateSecret: string;
  /** OUTLOOK_RATE_LIMIT_PER_MINUTE: tool calls (MCP POSTs) one person may make per minute across all replicas; default {@link DEFAULT_RATE_LIMIT_PER_MINUTE}, 0 = off. */
  readonly rateLimitPerMinute: number;
  /** OUTLOOK_LEGACY_CLIENTS: how 2025-11-25 clients are served (see {@link LegacyClients}); default `stateless`. */
  readonly legacyClients: LegacyClients;
}

/**
 * How remote mode serves 2025-11-25 clients. `stateless`: every request on its own (any replica; no
 * elicitation, so a send goes through the review card or the client's own approval); `sessions`: SDK
 * sessions (`Mcp-Session-Id`), so elicitation works, and the load balancer must keep affinity on that
 * header; `reject`: 2025 clients get the protocol's unsupported-version error.
 */
export type LegacyClients = 'stateless' | 'sessions' | 'reject';

/** Per-person calls per minute in remote mode: well above an agent's pace (a busy agent makes a few a second at peak), low enough to stop a runaway loop from eating the mailbox's Graph budget. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export type TokenStoreKind = 'keyring' | 'file' | 'encrypted-file';
/** Who approves each send: the user through MCP elicitation, or the client's own tool-approval prompt. */
export type SendConfirmation = 'elicit' | 'client';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly profile: string;
  readonly allowDrafts: boolean;
  readonly allowSend: boolean;
  /** OUTLOOK_SEND_CONFIRMATION: `elicit` (default) or `client`. */
  readonly sendConfirmation: SendConfirmation;
  readonly authMode: AuthMode;
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly clientSecret?: string;
  /**
   * OUTLOOK_MAILBOX: the mailbox app-only mode acts on; in delegated mode (with
   * {@link allowSharedMailboxes}) the default mailbox instead of the signed-in person's own.
   */
  readonly mailbox?: string;
  /** OUTLOOK_ALLOW_SHARED_MAILBOXES: tools take a `mailbox` argument (shared mailboxes, delegators); off by default. */
  readonly allowSharedMailboxes: boolean;
  /** OUTLOOK_SHARED_MAILBOXES: the only mailboxes the argument may name (lower-cased); empty = any the grant reaches. */
  readonly sharedMailboxes: readonly string[];
  /**
   * OUTLOOK_ALLOW_GROUP_MAILBOXES: the read tools that fit take `mailbox: "group:<id or address>"` and read
   * that Microsoft 365 group's conversations (read-only); off by default. Optional so hand-built configs keep working.
   */
  readonly allowGroupMailboxes?: boolean;
  readonly tokenStore?: TokenStoreKind;
  readonly tokenPassphrase?: string;
  readonly cloud: CloudName;
  /** Graph base URL including the version segment, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly graphUrl: string;
  /** Cap on one Graph answer, and on the pages of one collection read together (OUTLOOK_MAX_RESPONSE_MB, default 50). */
  readonly maxResponseBytes: number;
  readonly authorityUrl: string;
  readonly accessToken?: string;
  /** Root of all per-profile state. */
  readonly cacheDir: string;
  /** `cacheDir/<profile>`: tokens, handles, downloads of this profile only. */
  readonly profileDir: string;
  readonly timeZone: string;
  readonly sandbox: boolean;
  /** OUTLOOK_BUNDLE: `mcpb` when the MCP Bundle's manifest started the server; messages then name its settings (src/config/advice.ts). */
  readonly bundle?: 'mcpb';
  /**
   * Directories local files may be attached from (absolute, resolved). Empty =
   * only the profile's download folder (the drafts code adds that default).
   */
  readonly attachmentDirs: readonly string[];
  /** OUTLOOK_LOG_LEVEL (stderr only); default `warn`. */
  readonly logLevel: LogLevel;
  /** OUTLOOK_RENDERER: how mail bodies become visible text; `auto` (default) uses a browser when one is found. */
  readonly renderer: 'auto' | 'browser' | 'builtin';
  /** OUTLOOK_BROWSER_PATH: the Chrome, Edge or Chromium executable; otherwise the usual places are searched. */
  readonly browserPath?: string;
  /** OUTLOOK_RENDERER_IDLE_MS: the warm browser closes after this long without reads (default 60000). */
  readonly rendererIdleMs: number;
  /** OUTLOOK_RENDERER_TIMEOUT_MS: a browser read (launch included) taking longer falls back to builtin (default 30000). */
  readonly rendererTimeoutMs: number;
  /** OUTLOOK_TRANSPORT (or `serve --http`): `stdio` (default) or `http` (remote mode). */
  readonly transport: Transport;
  /** Remote mode's settings; present exactly when `transport` is `http`. */
  readonly http?: HttpConfig;
  /** OUTLOOK_CLIENT_CERTIFICATE_PATH: a PEM file with the app's certificate and private key (instead of a secret, obo mode). */
  readonly clientCertificatePath?: string;
  /** OUTLOOK_STATE_STORE: the embedded store in the profile folder (default) or Redis (several replicas share it). */
  readonly stateStore: StateStoreKind;
  /** OUTLOOK_REDIS_URL (`redis://` or `rediss://`); set exactly when {@link stateStore} is `redis`. */
  readonly redisUrl?: string;
  /** OUTLOOK_STATE_SECRET: keys the namespaces of state in a shared store (HMAC); needed with Redis. */
  readonly stateSecret?: string;
}

/** Where per-profile (or per-user) state is kept. */
export type StateStoreKind = 'embedded' | 'redis';
/** Shortest OUTLOOK_STATE_SECRET accepted: 32 characters (e.g. `openssl rand -base64 32` gives 44). */
export const MIN_STATE_SECRET_LENGTH = 32;

/** Thrown for any invalid configuration; the message names the variable and the fix. */
export class ConfigError extends UserFacingError {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super('config', message);
  }
}

const PROFILE_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Validates a profile name; `.` and `..` are refused so a profile can never name a parent directory. */
export function validateProfileName(name: string, source = 'OUTLOOK_PROFILE'): string {
  if (!PROFILE_RE.test(name) || name === '.' || name === '..') {
    throw new ConfigError(
      `${source}: "${name}" is not a valid profile name. Use 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-' (for example "acme" or "client-a.prod").`,
      source,
    );
  }
  return name;
}

function parseBool(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return false;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigError(`${name}="${raw}" is not allowed. Set ${name} to "true" or "false" (or leave it unset for false).`, name);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const v = raw.toLowerCase();
  const hit = allowed.find((a) => a === v);
  if (!hit) throw new ConfigError(`${name}="${raw}" is not allowed. Use one of: ${allowed.join(', ')}.`, name);
  return hit;
}

function parseUrl(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name}="${raw}" is not a URL. Example: https://graph.microsoft.com/v1.0`, name);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) {
    throw new ConfigError(`${name}="${raw}" must use https (plain http is allowed only for loopback addresses such as 127.0.0.1).`, name);
  }
  return raw.replace(/\/+$/, '');
}

function parseMegabytes(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 1024) throw new ConfigError(`${name}="${raw}" is not a size in MB between 1 and 1024 (default ${fallback}).`, name);
  return n;
}

function browserPath(env: Env): string | undefined {
  const raw = env.OUTLOOK_BROWSER_PATH?.trim();
  if (!raw) return undefined;
  if (!path.isAbsolute(raw)) throw new ConfigError(`OUTLOOK_BROWSER_PATH="${raw}" is not an absolute path. Give the full path of the Chrome, Edge or Chromium executable, e.g. /usr/bin/chromium.`, 'OUTLOOK_BROWSER_PATH');
  return raw;
}

function parseMillis(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100 || n > 3_600_000) throw new ConfigError(`${name}="${raw}" is not a whole number of milliseconds between 100 and 3600000 (default ${fallback}).`, name);
  return n;
}

/** OUTLOOK_STATE_STORE with its URL and secret, checked together (each mistake names its variable). */
function parseStateStore(env: Env): Pick<Config, 'stateStore' | 'redisUrl' | 'stateSecret'> {
  const stateStore = oneOf(env, 'OUTLOOK_STATE_STORE', ['embedded', 'redis'] as const) ?? 'embedded';
  const rawUrl = env.OUTLOOK_REDIS_URL?.trim() || undefined;
  const stateSecret = env.OUTLOOK_STATE_SECRET || undefined;
  if (stateSecret !== undefined && stateSecret.length < MIN_STATE_SECRET_LENGTH) {
    throw new ConfigError(`OUTLOOK_STATE_SECRET is too short (${stateSecret.length} characters). Use at least ${MIN_STATE_SECRET_LENGTH} random characters, e.g. the output of: openssl rand -base64 32`, 'OUTLOOK_STATE_SECRET');
  }
  if (stateStore === 'embedded') {
    if (rawUrl !== undefined) {
      throw new ConfigError('OUTLOOK_REDIS_URL is set but OUTLOOK_STATE_STORE is not "redis", so it would be ignored. Set OUTLOOK_STATE_STORE=redis to keep state in Redis, or unset OUTLOOK_REDIS_URL.', 'OUTLOOK_REDIS_URL');
    }
    return { stateStore, stateSecret };
  }
  if (rawUrl === undefined) {
    throw new ConfigError('OUTLOOK_STATE_STORE=redis needs OUTLOOK_REDIS_URL, e.g. redis://127.0.0.1:6379 or rediss://user:password@redis.example.com:6380/0.', 'OUTLOOK_REDIS_URL');
  }
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    throw new ConfigError('OUTLOOK_REDIS_URL is not a URL. Example: redis://127.0.0.1:6379 or rediss://user:password@redis.example.com:6380/0.', 'OUTLOOK_REDIS_URL');
  }
  // The URL may carry a password: messages show its scheme and host only.
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ConfigError(`OUTLOOK_REDIS_URL must start with redis:// or rediss:// (TLS), not ${u.protocol}//.`, 'OUTLOOK_REDIS_URL');
  }
  if (!u.hostname) throw new ConfigError('OUTLOOK_REDIS_URL names no host. Example: redis://127.0.0.1:6379.', 'OUTLOOK_REDIS_URL');
  if (u.pathname !== '' && u.pathname !== '/' && !/^\/\d{1,2}$/.test(u.pathname)) {
    throw new ConfigError(`OUTLOOK_REDIS_URL: the path must be a database number (e.g. /0), not ${u.pathname}.`, 'OUTLOOK_REDIS_URL');
  }
  if (stateSecret === undefined) {
    throw new ConfigError(
      `OUTLOOK_STATE_STORE=redis needs OUTLOOK_STATE_SECRET: every replica derives the same keys of per-user state from it. Set the same ${MIN_STATE_SECRET_LENGTH}+ random characters on every replica, e.g. the output of: openssl rand -base64 32`,
      'OUTLOOK_STATE_SECRET',
    );
  }
  return { stateStore, redisUrl: rawUrl, stateSecret };
}

/** True for hosts that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** From the `--sandbox` flag; `OUTLOOK_SANDBOX=true` also turns it on. */
  sandbox?: boolean;
  /** From the `--profile` flag; wins over `OUTLOOK_PROFILE`. */
  profile?: string;
  /** From `serve --http`, `--host`, `--port`; win over OUTLOOK_TRANSPORT, OUTLOOK_HTTP_HOST, OUTLOOK_HTTP_PORT. */
  http?: boolean;
  host?: string;
  port?: string;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Remote mode's settings, each checked and named when wrong. */
function httpConfig(env: Env, opts: LoadConfigOptions, clientId: string | undefined, stateSecret: string | undefined): HttpConfig {
  const host = opts.host?.trim() || env.OUTLOOK_HTTP_HOST?.trim() || '127.0.0.1';
  const portRaw = opts.port?.trim() || env.OUTLOOK_HTTP_PORT?.trim() || '8080';
  const portName = opts.port ? '--port' : 'OUTLOOK_HTTP_PORT';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535) throw new ConfigError(`${portName}="${portRaw}" is not a port. Use a whole number from 0 to 65535 (0 = any free port).`, portName);
  const publicUrl = parseUrl(env, 'OUTLOOK_PUBLIC_URL');
  if (!publicUrl) throw new ConfigError('OUTLOOK_PUBLIC_URL is required with OUTLOOK_TRANSPORT=http: the URL clients reach this server at, e.g. https://mcp.contoso.com (https; http only for loopback).', 'OUTLOOK_PUBLIC_URL');
  const pu = new URL(publicUrl);
  if (pu.search || pu.hash || pu.username) throw new ConfigError(`OUTLOOK_PUBLIC_URL="${publicUrl}" must be a plain URL without query, fragment or credentials, e.g. https://mcp.contoso.com.`, 'OUTLOOK_PUBLIC_URL');
  const allowedOriginHosts = list(env, 'OUTLOOK_ALLOWED_ORIGINS').map((o) => {
    try {
      const u = new URL(o);
      if (u.origin === 'null' || u.pathname !== '/') throw new Error('not an origin');
      return u.hostname.includes(':') ? `[${u.hostname.replace(/^\[|\]$/g, '')}]` : u.hostname;
    } catch {
      throw new ConfigError(`OUTLOOK_ALLOWED_ORIGINS: "${o}" is not an origin. List origins separated by commas, e.g. https://app.contoso.com,https://inspector.contoso.com.`, 'OUTLOOK_ALLOWED_ORIGINS');
    }
  });
  const allowedTenants = list(env, 'OUTLOOK_ALLOWED_TENANTS').map((t) => {
    if (!GUID_RE.test(t)) throw new ConfigError(`OUTLOOK_ALLOWED_TENANTS: "${t}" is not a tenant id. List directory (tenant) ids, the GUIDs shown in Entra's overview, separated by commas.`, 'OUTLOOK_ALLOWED_TENANTS');
    return t.toLowerCase();
  });
  if (allowedTenants.length === 0) throw new ConfigError('OUTLOOK_ALLOWED_TENANTS is required with OUTLOOK_TRANSPORT=http: the tenant id(s) whose users may call this server.', 'OUTLOOK_ALLOWED_TENANTS');
  const apiScope = env.OUTLOOK_API_SCOPE?.trim() ?? '';
  if (!/^[a-z][a-z0-9+.-]*:\/\/?[^\s/]+(\/[^\s/]+)*\/[^\s/]+$/i.test(apiScope)) {
    throw new ConfigError(`OUTLOOK_API_SCOPE="${apiScope}" is not a scope of an API. Use the full scope from "Expose an API", e.g. api://<client id>/access_as_user.`, 'OUTLOOK_API_SCOPE');
  }
  const audiences = list(env, 'OUTLOOK_API_AUDIENCE');
  if (audiences.length === 0 && clientId) audiences.push(clientId, `api://${clientId}`);
  // The secret was read and its length checked once, with the state store's settings (parseStateStore).
  if (stateSecret === undefined) {
    throw new ConfigError(
      `OUTLOOK_STATE_SECRET is required with OUTLOOK_TRANSPORT=http: at least ${MIN_STATE_SECRET_LENGTH} random characters (e.g. the output of: openssl rand -base64 32), the same on every replica. It keys the per-user state, the approval keys and the shared token cache.`,
      'OUTLOOK_STATE_SECRET',
    );
  }
  const rateRaw = env.OUTLOOK_RATE_LIMIT_PER_MINUTE?.trim() || String(DEFAULT_RATE_LIMIT_PER_MINUTE);
  if (!/^\d{1,7}$/.test(rateRaw)) {
    throw new ConfigError(`OUTLOOK_RATE_LIMIT_PER_MINUTE="${rateRaw}" is not a whole number of calls per minute (default ${DEFAULT_RATE_LIMIT_PER_MINUTE}; 0 turns the limit off).`, 'OUTLOOK_RATE_LIMIT_PER_MINUTE');
  }
  const legacyClients = oneOf(env, 'OUTLOOK_LEGACY_CLIENTS', ['stateless', 'sessions', 'reject'] as const) ?? 'stateless';
  return { host, port, publicUrl, allowedOriginHosts, allowedTenants, apiScope, audiences, stateSecret, rateLimitPerMinute: Number(rateRaw), legacyClients };
}

/** Builds the frozen configuration from an environment (defaults to `process.env`). */
export function loadConfig(env: Env = process.env, opts: LoadConfigOptions = {}): Config {
  try {
    return configFrom(env, opts);
  } catch (err) {
    // A bundle user changes settings, not variables: a mistake in one of the bundle's settings names its title too.
    if (!(err instanceof ConfigError) || env.OUTLOOK_BUNDLE !== 'mcpb') throw err;
    const setting = BUNDLE_SETTINGS[err.variable];
    if (setting && !err.message.includes(`'${setting.title}'`)) throw new ConfigError(`${err.message} In the extension's settings this is '${setting.title}'.`, err.variable);
    throw err;
  }
}

function configFrom(env: Env, opts: LoadConfigOptions): Config {
  // An explicit `--profile ''` is the flag's mistake, not the variable's.
  const fromFlag = opts.profile !== undefined;
  const profile = validateProfileName(fromFlag ? (opts.profile as string) : env.OUTLOOK_PROFILE?.trim() || 'default', fromFlag ? '--profile' : 'OUTLOOK_PROFILE');
  const logLevel = oneOf(env, 'OUTLOOK_LOG_LEVEL', LOG_LEVELS) ?? 'warn';
  const allowDrafts = parseBool(env, 'OUTLOOK_ALLOW_DRAFTS');
  const allowSend = parseBool(env, 'OUTLOOK_ALLOW_SEND');
  const sandbox = opts.sandbox === true || parseBool(env, 'OUTLOOK_SANDBOX');
  const bundle = oneOf(env, 'OUTLOOK_BUNDLE', ['mcpb'] as const);
  const clientSecret = env.OUTLOOK_CLIENT_SECRET || undefined;
  // A secret alone still means service principal (stdio, as before); remote mode's `obo` is only ever chosen explicitly.
  const authMode = oneOf(env, 'OUTLOOK_AUTH_MODE', ['delegated', 'service-principal', 'obo'] as const) ?? (clientSecret ? 'service-principal' : 'delegated');
  const transport: Transport = opts.http ? 'http' : (oneOf(env, 'OUTLOOK_TRANSPORT', ['stdio', 'http'] as const) ?? 'stdio');
  const mailbox = env.OUTLOOK_MAILBOX?.trim() || undefined;
  if (mailbox !== undefined && !/^[^\s@/\\?#]+@[^\s@/\\?#]+$/.test(mailbox)) {
    throw new ConfigError(`OUTLOOK_MAILBOX="${mailbox}" is not a mailbox address. Use the user principal name, e.g. ops@contoso.com.`, 'OUTLOOK_MAILBOX');
  }
  const allowSharedMailboxes = parseBool(env, 'OUTLOOK_ALLOW_SHARED_MAILBOXES');
  const sharedMailboxes = list(env, 'OUTLOOK_SHARED_MAILBOXES').map((m) => {
    const problem = mailboxAddressProblem(m);
    if (problem) throw new ConfigError(`OUTLOOK_SHARED_MAILBOXES: "${m}" ${problem} List addresses separated by commas, e.g. support@contoso.com,invoices@contoso.com.`, 'OUTLOOK_SHARED_MAILBOXES');
    return m.toLowerCase();
  });
  if (sharedMailboxes.length > 0 && !allowSharedMailboxes) {
    throw new ConfigError('OUTLOOK_SHARED_MAILBOXES is set but OUTLOOK_ALLOW_SHARED_MAILBOXES is not: set OUTLOOK_ALLOW_SHARED_MAILBOXES=true to read those mailboxes, or unset OUTLOOK_SHARED_MAILBOXES.', 'OUTLOOK_ALLOW_SHARED_MAILBOXES');
  }
  const allowGroupMailboxes = parseBool(env, 'OUTLOOK_ALLOW_GROUP_MAILBOXES');
  const cloud = oneOf(env, 'OUTLOOK_CLOUD', Object.keys(CLOUDS) as CloudName[]) ?? 'global';
  const endpoints: CloudEndpoints = CLOUDS[cloud];
  const configuredZone = env.OUTLOOK_TIMEZONE?.trim() || undefined;
  if (configuredZone !== undefined && !isValidTimeZone(configuredZone)) {
    throw new ConfigError(`OUTLOOK_TIMEZONE="${configuredZone}" is not an IANA time zone. Example: Europe/Berlin, America/New_York, UTC.`, 'OUTLOOK_TIMEZONE');
  }
  const attachmentDirs = (env.OUTLOOK_ATTACHMENT_DIRS ?? '')
    .split(path.delimiter)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => {
      if (!path.isAbsolute(d)) {
        throw new ConfigError(`OUTLOOK_ATTACHMENT_DIRS: "${d}" is not an absolute path. List absolute directories separated by "${path.delimiter}".`, 'OUTLOOK_ATTACHMENT_DIRS');
      }
      return path.resolve(d);
    });
  const state = parseStateStore(env);
  let resolvedZone: string | undefined;
  const cacheDir = path.resolve(env.OUTLOOK_CACHE_DIR?.trim() || path.join(os.homedir(), '.cache', 'outlook-mcp'));
  const config: Config = {
    profile,
    allowDrafts,
    allowSend,
    sendConfirmation: oneOf(env, 'OUTLOOK_SEND_CONFIRMATION', ['elicit', 'client'] as const) ?? 'elicit',
    authMode,
    clientId: env.OUTLOOK_CLIENT_ID?.trim() || undefined,
    tenantId: env.OUTLOOK_TENANT_ID?.trim() || undefined,
    clientSecret,
    mailbox,
    allowSharedMailboxes,
    sharedMailboxes: Object.freeze(sharedMailboxes),
    allowGroupMailboxes,
    tokenStore: oneOf(env, 'OUTLOOK_TOKEN_STORE', ['keyring', 'file', 'encrypted-file'] as const),
    tokenPassphrase: env.OUTLOOK_TOKEN_PASSPHRASE || undefined,
    cloud,
    graphUrl: parseUrl(env, 'OUTLOOK_GRAPH_URL') ?? `https://${endpoints.graphHost}/v1.0`,
    maxResponseBytes: parseMegabytes(env, 'OUTLOOK_MAX_RESPONSE_MB', 50) * 1024 * 1024,
    authorityUrl: parseUrl(env, 'OUTLOOK_AUTHORITY_URL') ?? `https://${endpoints.authorityHost}`,
    accessToken: env.OUTLOOK_ACCESS_TOKEN?.trim() || undefined,
    cacheDir,
    profileDir: path.join(cacheDir, profile),
    // Asking Intl for the system zone loads ICU (~17 ms): done on first use, not on the start-up path.
    get timeZone() {
      return (resolvedZone ??= configuredZone ?? systemTimeZone());
    },
    sandbox,
    ...(bundle ? { bundle } : {}),
    attachmentDirs: Object.freeze(attachmentDirs),
    logLevel,
    renderer: oneOf(env, 'OUTLOOK_RENDERER', ['auto', 'browser', 'builtin'] as const) ?? 'auto',
    browserPath: browserPath(env),
    rendererIdleMs: parseMillis(env, 'OUTLOOK_RENDERER_IDLE_MS', 60_000),
    rendererTimeoutMs: parseMillis(env, 'OUTLOOK_RENDERER_TIMEOUT_MS', 30_000),
    transport,
    ...(transport === 'http' ? { http: Object.freeze(httpConfig(env, opts, env.OUTLOOK_CLIENT_ID?.trim() || undefined, state.stateSecret)) } : {}),
    ...(env.OUTLOOK_CLIENT_CERTIFICATE_PATH?.trim() ? { clientCertificatePath: path.resolve(env.OUTLOOK_CLIENT_CERTIFICATE_PATH.trim()) } : {}),
    ...state,
  };
  if (config.allowSend && !config.allowDrafts) {
    throw new ConfigError(
      bundle
        ? `'${BUNDLE_SETTINGS.OUTLOOK_ALLOW_SEND!.title}' needs '${BUNDLE_SETTINGS.OUTLOOK_ALLOW_DRAFTS!.title}': only drafts this server prepared can be sent. ${turnOn({ bundle }, 'OUTLOOK_ALLOW_DRAFTS')} too, or turn '${BUNDLE_SETTINGS.OUTLOOK_ALLOW_SEND!.title}' off.`
        : 'OUTLOOK_ALLOW_SEND=true needs OUTLOOK_ALLOW_DRAFTS=true: only drafts this server prepared can be sent. Set both, or unset OUTLOOK_ALLOW_SEND.',
      'OUTLOOK_ALLOW_SEND',
    );
  }
  if (transport === 'http' && config.authMode !== 'obo') {
    throw new ConfigError('OUTLOOK_TRANSPORT=http (serve --http) serves many people and needs OUTLOOK_AUTH_MODE=obo: each request is made on behalf of its caller.', 'OUTLOOK_AUTH_MODE');
  }
  if (config.authMode === 'obo') {
    if (transport !== 'http') throw new ConfigError('OUTLOOK_AUTH_MODE=obo needs OUTLOOK_TRANSPORT=http (or serve --http): on-behalf-of exchanges the token of each HTTP request.', 'OUTLOOK_TRANSPORT');
    if (config.sandbox) throw new ConfigError('OUTLOOK_AUTH_MODE=obo does not run on --sandbox: start `mcp-server-outlook sandbox --json` and point OUTLOOK_GRAPH_URL and OUTLOOK_AUTHORITY_URL at it.', 'OUTLOOK_SANDBOX');
    if (!config.clientId) throw new ConfigError("OUTLOOK_AUTH_MODE=obo needs OUTLOOK_CLIENT_ID: the application (client) id of the server's API app registration.", 'OUTLOOK_CLIENT_ID');
    if (!config.clientSecret && !config.clientCertificatePath) {
      throw new ConfigError("OUTLOOK_AUTH_MODE=obo needs OUTLOOK_CLIENT_SECRET or OUTLOOK_CLIENT_CERTIFICATE_PATH (a PEM file with the app's certificate and private key).", 'OUTLOOK_CLIENT_SECRET');
    }
    if (config.accessToken) throw new ConfigError('OUTLOOK_ACCESS_TOKEN cannot be used with OUTLOOK_AUTH_MODE=obo: every request brings its own user token. Unset it.', 'OUTLOOK_ACCESS_TOKEN');
  }
  if (config.authMode === 'delegated' && config.mailbox && !config.allowSharedMailboxes) {
    // It used to be ignored here, so a person who set it read their own mail without knowing.
    throw new ConfigError(
      `OUTLOOK_MAILBOX=${config.mailbox} in delegated mode makes it the default mailbox, which needs OUTLOOK_ALLOW_SHARED_MAILBOXES=true (and Full Access or delegate rights on it). Set that, or unset OUTLOOK_MAILBOX to read your own mailbox.`,
      'OUTLOOK_ALLOW_SHARED_MAILBOXES',
    );
  }
  if (config.allowSharedMailboxes && config.tenantId && PERSONAL_TENANTS.has(config.tenantId.toLowerCase())) {
    throw new ConfigError(
      `OUTLOOK_ALLOW_SHARED_MAILBOXES=true cannot work with OUTLOOK_TENANT_ID=${config.tenantId}: personal Microsoft accounts (outlook.com, hotmail.com) have no shared mailboxes or delegate access in Graph. Use a work or school account's tenant, or unset OUTLOOK_ALLOW_SHARED_MAILBOXES.`,
      'OUTLOOK_ALLOW_SHARED_MAILBOXES',
    );
  }
  if (config.allowGroupMailboxes && config.tenantId && PERSONAL_TENANTS.has(config.tenantId.toLowerCase())) {
    throw new ConfigError(
      `OUTLOOK_ALLOW_GROUP_MAILBOXES=true cannot work with OUTLOOK_TENANT_ID=${config.tenantId}: personal Microsoft accounts (outlook.com, hotmail.com) have no Microsoft 365 groups. Use a work or school account's tenant, or unset OUTLOOK_ALLOW_GROUP_MAILBOXES.`,
      'OUTLOOK_ALLOW_GROUP_MAILBOXES',
    );
  }
  if (config.mailbox && config.sharedMailboxes.length > 0 && config.authMode === 'delegated' && !config.sharedMailboxes.includes(config.mailbox.toLowerCase())) {
    throw new ConfigError(`OUTLOOK_MAILBOX=${config.mailbox} is not in OUTLOOK_SHARED_MAILBOXES; add it there, or unset OUTLOOK_MAILBOX.`, 'OUTLOOK_SHARED_MAILBOXES');
  }
  if (config.authMode === 'service-principal' && !config.sandbox) {
    for (const name of ['clientId', 'tenantId', 'mailbox'] as const) {
      if (!config[name]) {
        const variable = { clientId: 'OUTLOOK_CLIENT_ID', tenantId: 'OUTLOOK_TENANT_ID', mailbox: 'OUTLOOK_MAILBOX' }[name];
        throw new ConfigError(`Service-principal mode needs ${variable}. Set OUTLOOK_CLIENT_ID, OUTLOOK_TENANT_ID and OUTLOOK_MAILBOX (app-only tokens cannot use /me).`, variable);
      }
    }
    if (!config.clientSecret) {
      throw new ConfigError('Service-principal mode needs OUTLOOK_CLIENT_SECRET (the secret value of the app registration; certificates are not supported). Or unset OUTLOOK_AUTH_MODE to sign in as a person.', 'OUTLOOK_CLIENT_SECRET');
    }
  }
  return Object.freeze(config);
}

/** The Graph path prefix of the mailbox this configuration acts on by default. */
export function mailboxRoot(config: Pick<Config, 'authMode' | 'mailbox'> & Partial<Pick<Config, 'allowSharedMailboxes'>>): string {
  const other = config.authMode === 'service-principal' || (config.authMode === 'delegated' && config.allowSharedMailboxes === true);
  return other && config.mailbox ? usersRoot(config.mailbox) : '/me';
}

/** The Graph path prefix of a named mailbox (callers lower-case an address the agent gave, so one mailbox has one root). */
export function usersRoot(address: string): string {
  return `/users/${encodeURIComponent(address)}`;
}

/**
 * Tenants of personal Microsoft accounts: Graph has no shared mailboxes or
 * delegate access to another person's mail there (`consumers` and the fixed
 * tenant id all personal accounts sign in under).
 */
export const PERSONAL_TENANTS: ReadonlySet<string> = new Set(['consumers', '9188040d-6c67-4c5b-b112-36a304b66dad']);

/**
 * Why `value` is not usable as a mailbox address (UPN or SMTP), or undefined.
 * It ends up in a Graph path (`/users/{address}`), so nothing that could
 * change the path, no spaces or invisible characters, and at most 254
 * characters (RFC 5321's limit).
 */
export function mailboxAddressProblem(value: string): string | undefined {
  if (value.length > 254) return 'is longer than 254 characters, the longest mail address there is.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/.test(value)) return 'contains spaces, control or invisible characters.';
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return 'is not a mail address (name@domain).';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return 'has a part before @ longer than 64 characters.';
  if (/[/\\?#%@"(),:;<>[\]]/.test(local) || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(domain)) {
    return 'is not a mail address (name@domain, e.g. support@contoso.com).';
  }
  return undefined;
}
