/** What route handlers receive and return. */
import type { PreparedDocument } from './kql.js';
import type { ItemBody, SandboxMailbox, SandboxMessage } from './model.js';
import type { PageTokens } from './paging.js';
import type { AppliedPreferences, Preferences } from './prefer.js';
import type { Notification } from './types.js';

/** One open attachment upload session (upload-routes.ts). */
export interface UploadSession {
  messageId: string;
  name: string;
  contentType: string;
  size: number;
  received: Buffer[];
  next: number;
  expires: number;
}

/** Per-sandbox state shared by all requests (never module-level). */
export interface SandboxState {
  readonly mailbox: SandboxMailbox;
  readonly notifications: Notification[];
  readonly pages: PageTokens;
  readonly clock: () => Date;
  readonly pageSizeCap: number | undefined;
  /** HTML-to-text results per body object, checked against the content they came from. */
  readonly texts: WeakMap<ItemBody, { content: string; text: string; preview: string }>;
  /** Prepared `$search` documents per message, with the revision they were built from. */
  readonly searchDocs: WeakMap<SandboxMessage, { signature: string; doc: PreparedDocument }>;
  /** Graph base URL, e.g. `http://127.0.0.1:PORT/v1.0`. */
  readonly url: string;
  readonly origin: string;
  /** The origin upload URLs name: the upload host's when there is one, else `origin`. */
  readonly uploadOrigin: string;
  /** Open attachment upload sessions by URL token. */
  readonly uploads: Map<string, UploadSession>;
  /** Message delta sync states by `$deltatoken`. */
  readonly deltas: Map<string, DeltaState>;
}

/** What a message delta token remembers: the folder, the query, and each message's version when it was issued. */
export interface DeltaState {
  folderId: string;
  query: Record<string, string>;
  versions: Map<string, string>;
}

export interface RequestContext {
  readonly state: SandboxState;
  readonly method: string;
  /** Decoded path parameters by the names in the route pattern. */
  readonly params: Readonly<Record<string, string>>;
  /** Effective query options (from the `$skiptoken` when paging). */
  readonly query: Readonly<Record<string, string>>;
  /** Offset carried by a `$skiptoken`. */
  readonly resumeOffset?: number;
  /** Binds page tokens to the path they were issued for. */
  readonly routeKey: string;
  /** The request's pathname as received, for building nextLinks. */
  readonly rawPathname: string;
  readonly prefer: Preferences;
  /** Handlers record what they honoured; echoed as `Preference-Applied`. */
  readonly applied: AppliedPreferences;
  readonly body: unknown;
  /** `users('id')`: what every `@odata.context` starts with after `$metadata#`. */
  readonly entityRoot: string;
  /** The decoded request path, e.g. `/v1.0/me/sendMail`. */
  readonly path: string;
}

export type HandlerResult =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; bytes: Buffer; contentType: string }
  | { status: number; empty: true; headers?: Record<string, string> };

export type Handler = (ctx: RequestContext) => HandlerResult;

// Graph-shaped ids live in their own module (the identity directory needs them without the rest of this one).
export { newChangeKey, newGraphId } from './graph-ids.js';
