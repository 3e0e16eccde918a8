/** Public types of the sandbox (re-exported by `index.ts`). */
import type { SandboxMailbox } from './model.js';
import type { IdentityOptions, SandboxIdentity } from './identity/types.js';
import type { MailboxGrants } from './other-mailboxes.js';

export interface SandboxOptions {
  /** 0 = a random free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The sandbox's "now": seeds are built around it and the clock runs on from it. */
  now?: Date;
  /** Default `createSeedMailbox(now)`. */
  mailbox?: SandboxMailbox;
  /** The bearer token accepted; default random. */
  token?: string;
  /** Upper bound on any page size (expanded collections included), so tests can force paging; default `OUTLOOK_SANDBOX_PAGE_SIZE`. */
  pageSizeCap?: number;
  /** Artificial delay per request, so tests can observe concurrency. */
  latencyMs?: number;
  /**
   * Remote mode: several people (3 unless more are asked for), each with a mailbox of their own,
   * and Entra's flows for a remote server (see `identity.team`). Graph serves the mailbox of the
   * person a token stands for. Not with `store`.
   */
  team?: boolean | { users?: number; serverAppPermissions?: readonly string[] };
  /**
   * Who may open which other mailbox (support@, morgan.delegator@, riley.private@), by person name
   * (`avery`, `blake`, …) and mailbox local part, over the defaults (src/sandbox/other-mailboxes.ts).
   * Checked on every request, for the person the token stands for.
   */
  grants?: MailboxGrants;
  /** The fake Entra identity endpoint (device code, refresh, client credentials). */
  identity?: IdentityOptions;
  /**
   * Keeps the mailbox between processes: loaded (or seeded and saved) at
   * start, reloaded when another process changed it, saved after each write.
   * Ignored when `mailbox` is given.
   */
  store?: SandboxStore;
  /**
   * The origin written into the links the sandbox returns (`@odata.nextLink`,
   * `@odata.context`, upload URLs) instead of its own. Clients then configure
   * `${publicOrigin}/v1.0` and map that origin to `origin` in their fetch, so a
   * link saved by one process still works against the next one's port.
   */
  publicOrigin?: string;
  /**
   * Serves upload URLs on a host of their own, as Graph does (its upload URLs
   * name outlook.office.com with an `authtoken`, not graph.microsoft.com): a
   * second loopback listener answers only upload PUTs, the Graph listener no
   * longer does, and `createUploadSession` names this origin (e.g.
   * `https://upload.sandbox.localhost`). Clients map it to `uploadHost.origin`
   * in their fetch, like `publicOrigin`.
   */
  uploadOrigin?: string;
}

/**
 * Saved sandbox state shared by processes (text, written atomically under a
 * cross-process lock). The sandbox decides what the text holds.
 */
export interface SandboxStore {
  /** Where the state lives, for messages. */
  readonly location: string;
  /** How the person starts it afresh, worded for how they run the server (default: the `sandbox reset` command). */
  readonly resetAdvice?: string;
  /** The saved text, or, when there is none, `init()` saved and returned. */
  open(init: () => Promise<string>): Promise<string>;
  /** The saved text when another process replaced it since this one last read or wrote it. */
  changed(): Promise<string | undefined>;
  /** Runs fn holding the cross-process lock. */
  locked<T>(fn: () => Promise<T>): Promise<T>;
  /** Replaces the saved text atomically. */
  save(text: string): Promise<void>;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Decoded pathname, e.g. `/v1.0/me/messages`. */
  path: string;
  /** As received, still percent-encoded. */
  rawPath: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` redacted to `Bearer <redacted>` or absent. */
  headers: Record<string, string>;
  hadAuthorization: boolean;
  /** The public origin of the upload host, on requests that reached it (absent for Graph requests). */
  host?: string;
  /** The `aud` claim of the bearer token, read without verifying it (absent for tokens that are not JWTs). */
  bearerAudience?: string;
  /** SHA-256 (hex) of the bearer token: which token reached Graph, without keeping it. */
  bearerSha256?: string;
  /** UPN of the mailbox the request was served from. */
  mailbox?: string;
  body?: unknown;
  status: number;
  time: string;
  /**
   * Wall-clock epoch ms (`Date.now()`, not the sandbox's clock) when the request arrived and when its answer was
   * written: how many requests a mailbox had in flight at once, across every process calling, can be read from these.
   */
  startedAt: number;
  endedAt: number;
}

export interface Notification {
  kind: 'mail-sent' | 'invitation' | 'update' | 'cancellation' | 'response' | 'forward';
  at: string;
  request: { method: string; path: string };
  recipients: string[];
  subject?: string;
}

export interface Injection {
  status: 400 | 403 | 429 | 500 | 503 | 504;
  /** Raw `Retry-After` header value. */
  retryAfter?: string;
  /** Default 1. */
  times?: number;
  match?: { method?: string; pathIncludes?: string };
  /** Overrides Graph's error code for the status. */
  code?: string;
}

export interface Sandbox {
  /** Graph base, e.g. `http://127.0.0.1:PORT/v1.0`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The Graph base its links name: `${publicOrigin}/v1.0` when one was set, else `url`. */
  readonly publicUrl: string;
  /** With `uploadOrigin`: the upload host's public origin and the loopback origin it listens on. */
  readonly uploadHost?: { readonly publicOrigin: string; readonly origin: string };
  /** The bearer token it accepts. */
  readonly token: string;
  readonly mailbox: SandboxMailbox;
  readonly requests: readonly RecordedRequest[];
  readonly notifications: readonly Notification[];
  /** Most requests in flight at once since start (or the last `clearLog`). */
  readonly maxInFlight: number;
  /** A person's mailbox by name or UPN (team mode has several). */
  mailboxOf(person: string): SandboxMailbox | undefined;
  /** Makes the next matching request(s) fail with a Graph error. */
  inject(i: Injection): void;
  /** Changes the artificial delay per request (`latencyMs`) from now on, e.g. to make requests overlap in one test. */
  setLatency(ms: number): void;
  /** Forgets every message delta token: the next delta call with one gets `syncStateNotFound`, as after Exchange drops a sync state. */
  expireDeltaTokens(): void;
  /** Empties `requests` and `notifications` and resets `maxInFlight`. */
  clearLog(): void;
  close(): Promise<void>;
  /**
   * The fake Entra endpoint on the same origin (`origin` is a valid
   * `OUTLOOK_AUTHORITY_URL`). Graph accepts the access tokens it issues, for
   * the permissions they carry, besides `token`.
   */
  readonly identity?: SandboxIdentity;
}
