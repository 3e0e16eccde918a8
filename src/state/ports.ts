/**
 * The ports of this server's state: one interface per kind of state, named for
 * what the domain does with it. Services see only these; an adapter (the
 * embedded LMDB one locally, Redis remotely) implements all of them for one
 * namespace (a profile locally, a user key remotely) and passes the contract
 * suites in `test/state/contract/`.
 *
 * Conventions every adapter keeps:
 * - times are milliseconds since the epoch, read from the store's injected
 *   clock (`StateStoreOptions.now`), never from the caller's, so expiry can be
 *   tested without waiting and all ports of one store agree on "now";
 * - every check-and-change is atomic across processes and replicas (one
 *   transaction, one Lua script): two racers never both win;
 * - a method resolves only once its change is durable ("acknowledged"): a
 *   process killed right after must not lose it;
 * - an unreachable engine rejects with {@link StateUnavailableError} (fail
 *   closed: nothing that needs the state, a send above all, goes ahead).
 */
import { UserFacingError } from '../errors.js';

/** The state engine cannot be reached or used; the message says which and what to do. Nothing was changed. */
export class StateUnavailableError extends UserFacingError {
  override name = 'StateUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('state-unavailable', message, options);
  }
}

/** A draft in one mailbox: ids are only unique within a mailbox root (`/me`, `/users/{upn}`). */
export interface DraftKey {
  /** Mailbox root, `/me` or `/users/{upn}`. */
  readonly root: string;
  /** The draft's Graph (immutable) id. */
  readonly draftId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Approval ledger

/** What the ledger knows about one approval nonce. */
export type ApprovalStanding =
  /** The draft's newest approval, not spent: it may be consumed. */
  | 'open'
  /** A newer approval was opened for the same draft before this one was used. */
  | 'superseded'
  /** Consumed or released already (or never recorded, or its life ended): it can never send. */
  | 'spent';

/** The outcome of {@link ApprovalLedger.consume}. */
export type ConsumeOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: 'superseded' | 'spent' | 'busy' };

/** The outcome of {@link ApprovalLedger.beginWrite}: refused while the draft is locked, saying until when. */
export type BeginWriteOutcome = { readonly ok: true } | { readonly ok: false; readonly lockedUntil: number };

/**
 * Single-use approvals of one exact send. The signed token (approval service)
 * carries the claim; the ledger decides whether its nonce is still the open,
 * unspent approval of its draft, and holds the draft's lock.
 *
 * Lock semantics: an approval opened with `lock: true` (a prompt the human is
 * looking at) locks its draft until its expiry or its release; `lock: false`
 * (a review card) does not lock, and never lifts an existing lock. A consume
 * locks the draft until {@link release} (the send returned), independent of
 * the approval's expiry; `holdMs` only bounds a lock whose holder died
 * mid-send, so a crash cannot lock a draft for ever.
 */
export interface ApprovalLedger {
  /**
   * Records a newly minted approval as the draft's newest until `expiresAt`.
   * Any earlier approval of the draft that is still open becomes superseded.
   */
  open(draft: DraftKey, nonce: string, expiresAt: number, options: { readonly lock: boolean }): Promise<void>;
  /** Where a nonce stands for its draft (read only). */
  standing(draft: DraftKey, nonce: string): Promise<ApprovalStanding>;
  /**
   * Spends the nonce, exactly once across all processes: it must be the
   * draft's open approval. On success the draft is locked until {@link release}
   * (or, if the holder dies, until `holdMs` from now). Refused with `'busy'`
   * while one of our own changes of the draft holds an unexpired write lease
   * ({@link beginWrite}); the approval then stays unspent.
   */
  consume(draft: DraftKey, nonce: string, holdMs: number): Promise<ConsumeOutcome>;
  /**
   * Ends the draft's lock if `nonce` holds it (answered, refused, sent or
   * failed); a newer approval's lock is left alone. The nonce can never be
   * consumed afterwards.
   */
  release(draft: DraftKey, nonce: string): Promise<void>;
  /** Until when the draft is locked (an open prompt or a send in progress); undefined when it is not. */
  lockedUntil(draft: DraftKey): Promise<number | undefined>;
  /**
   * Starts one of our own changes of the draft (update, discard) under the
   * write lease `lease`, in one atomic check-and-mark: refused while the
   * draft is locked ({@link lockedUntil}); otherwise no consume of the draft
   * succeeds until {@link endWrite} or `expiresAt` (which only bounds a
   * holder that died mid-change). Checking the lock and then writing would
   * let a change that passed its check land after the send's final re-read.
   */
  beginWrite(draft: DraftKey, lease: string, expiresAt: number): Promise<BeginWriteOutcome>;
  /** Ends a write lease; an unknown or expired lease is fine. */
  endWrite(draft: DraftKey, lease: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Draft registry

export type DraftKind = 'mail' | 'event';

/** One item this profile created. */
export interface DraftRecord {
  /** The Graph (immutable) id. */
  readonly id: string;
  readonly kind: DraftKind;
  /** The random id also stored in the Graph tag; survives a lost registry. */
  readonly creationId: string;
  readonly subject: string;
  /** ISO instant. */
  readonly createdAt: string;
  readonly webLink?: string;
}

/** Which drafts this profile created: one half of the ownership check (the Graph tag is the other). */
export interface DraftRegistryPort {
  /** Adds, or replaces by id, a record. */
  add(record: DraftRecord): Promise<void>;
  get(id: string): Promise<DraftRecord | undefined>;
  /** All records (of one kind), newest `createdAt` first. */
  list(kind?: DraftKind): Promise<DraftRecord[]>;
  /** Changes the subject/web link of a record if it exists; otherwise does nothing. */
  touch(id: string, fields: Partial<Pick<DraftRecord, 'subject' | 'webLink'>>): Promise<void>;
  /** Forgets a record (discarded or sent); unknown ids are fine. */
  remove(id: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Id handles

/**
 * Short handles for long Graph ids. The handle of an id is derived from its
 * hash ({@link HandleDerivation}); the store keeps handle → id so a handle
 * works in every process and after a restart, and records the last use of
 * each so unused handles expire.
 */
export interface IdHandles {
  /**
   * The handles of `ids` (same order), creating those not yet known. The same
   * id always gets the same handle; two different ids never share one (on a
   * hash collision the later id gets a longer candidate). Known handles'
   * last use becomes now.
   */
  handlesFor(ids: readonly string[]): Promise<string[]>;
  /** The id behind a handle, refreshing its last use; undefined when unknown (or expired). */
  lookup(handle: string): Promise<string | undefined>;
  /** Forgets handles not used since `before`; returns how many went. */
  expireUnusedSince(before: number): Promise<number>;
}

/** How a handle is derived from an id: `candidate(id, length)` for length 8, 9, … until one is free. */
export interface HandleDerivation {
  readonly minLength: number;
  readonly maxLength: number;
  candidate(id: string, length: number): string;
}

// ---------------------------------------------------------------------------------------------------------------
// Paging cursors

/** What a cursor stands for; only the server ever sees it. */
export interface CursorRecord {
  /** The Graph `@odata.nextLink`, followed whole. */
  readonly nextLink: string;
  /** The tool that issued it. */
  readonly tool: string;
  /** Mailbox root it was issued for. */
  readonly root: string;
  /** Local state of the listing (filters applied in our code). */
  readonly extra?: unknown;
  /** When it stops working (ms). */
  readonly expiresAt: number;
}

/** Opaque paging cursors with a time to live. */
export interface PagingCursors {
  /**
   * Stores `record` under `handle` (a fresh random handle from the caller)
   * until `record.expiresAt`. Rejects if the handle is already taken.
   */
  issue(handle: string, record: CursorRecord): Promise<void>;
  /** The live record behind a handle; undefined when unknown or expired. */
  find(handle: string): Promise<CursorRecord | undefined>;
  /** Deletes expired cursors now (adapters also do it on their own); returns how many went. */
  purgeExpired(): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------------------
// Delta links

/** The saved end of one folder's last delta round. */
export interface DeltaState {
  readonly deltaLink: string;
  /** ISO instant of the round's start. */
  readonly savedAt: string;
  /** ISO receivedDateTime of the newest message seen so far. */
  readonly newest?: string;
  /** Increases by one on every save: the compare-and-set token. */
  readonly revision: number;
}

export type DeltaSaveOutcome = { readonly ok: true; readonly revision: number } | { readonly ok: false; readonly current: DeltaState | undefined };

/** Each folder's deltaLink, keyed by mailbox root + folder, changed by compare-and-set. */
export interface DeltaLinks {
  get(root: string, folder: string): Promise<DeltaState | undefined>;
  /**
   * Saves a new state if the stored revision is still `expectedRevision`
   * (0 = nothing saved yet); otherwise nothing changes and the current state
   * comes back, so two rounds racing never make a link go backwards.
   */
  save(root: string, folder: string, expectedRevision: number, next: Omit<DeltaState, 'revision'>): Promise<DeltaSaveOutcome>;
  /** Forgets the folder's link if its revision is still `expectedRevision` (a refused link); true when it went. */
  forget(root: string, folder: string, expectedRevision: number): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------------------------
// Downloads index

/** One file saved in the download folder. */
export interface DownloadRecord {
  /** SHA-256 of the bytes, hex. */
  readonly sha256: string;
  /** The sanitised name it was saved under (with any " (2)" suffix). */
  readonly name: string;
  /** The name asked for, sanitised, before any suffix: what an identical later download looks up. */
  readonly requestedName: string;
  readonly path: string;
  readonly size: number;
  /** Last time it was saved or reused (ms). */
  readonly lastUsed: number;
}

/** Which attachment bytes are already on disk, so an identical download reuses its file. */
export interface DownloadIndex {
  /** The earlier download of the same bytes under the same requested name, refreshing its last use. */
  find(sha256: string, requestedName: string): Promise<DownloadRecord | undefined>;
  /** Records a saved file (replacing any record of the same sha256 + requested name). */
  record(entry: Omit<DownloadRecord, 'lastUsed'>): Promise<void>;
  /** Forgets one record (its file vanished). */
  forget(sha256: string, requestedName: string): Promise<void>;
  /** Sum of recorded sizes. */
  totalBytes(): Promise<number>;
  /**
   * Removes least-recently-used records until the total is at most `maxBytes`
   * and returns them, so the caller deletes their files.
   */
  evictOver(maxBytes: number): Promise<DownloadRecord[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// Graph concurrency gate and Retry-After pause

/** A held slot of a mailbox's gate. */
export interface GateLease {
  readonly mailbox: string;
  readonly id: string;
  readonly expiresAt: number;
}

/** What {@link MailboxGate.tryEnter} found: a slot taken, the gate full, or the mailbox paused (no slot taken). */
export type GateEntry = { readonly lease: GateLease } | { readonly full: true } | { readonly pausedUntil: number };

/**
 * A per-mailbox semaphore shared by every process (replica) of the namespace:
 * Graph allows 4 concurrent requests per app per mailbox. Slots are leases
 * that expire, so a holder that dies frees its slot after `leaseMs`.
 */
export interface MailboxGate {
  /** Takes a slot if fewer than `max` live leases exist; undefined otherwise (the caller waits and retries). */
  tryAcquire(mailbox: string, max: number, leaseMs: number): Promise<GateLease | undefined>;
  /**
   * A Graph request's way in: the mailbox's {@link ThrottlePause} is checked and, when it is not paused,
   * a slot is taken as by {@link tryAcquire}, in one step (one round trip on a networked store).
   */
  tryEnter(mailbox: string, max: number, leaseMs: number): Promise<GateEntry>;
  /** Extends a lease still held; false when it had expired (and may have been taken over). */
  renew(lease: GateLease, leaseMs: number): Promise<boolean>;
  /** Frees the slot; a lease already expired is fine. */
  release(lease: GateLease): Promise<void>;
}

/** A `Retry-After` from Graph, shared so every process of the mailbox waits, not only the one that was told. */
export interface ThrottlePause {
  /** Pauses the mailbox until `until` (ms) unless it is already paused longer. */
  pauseUntil(mailbox: string, until: number): Promise<void>;
  /** The end of the mailbox's current pause; undefined when not paused. */
  pausedUntil(mailbox: string): Promise<number | undefined>;
}

// ---------------------------------------------------------------------------------------------------------------
// The bundle

/** Every port of one namespace (a profile locally, a user remotely). */
export interface StateStore {
  /** The profile or user key the store is bound to. */
  readonly namespace: string;
  readonly approvals: ApprovalLedger;
  readonly drafts: DraftRegistryPort;
  readonly handles: IdHandles;
  readonly cursors: PagingCursors;
  readonly deltas: DeltaLinks;
  readonly downloads: DownloadIndex;
  readonly gate: MailboxGate;
  readonly pause: ThrottlePause;
  /** Releases the engine (handles, connections). The store must not be used afterwards. */
  close(): Promise<void>;
}

/** What every adapter's factory takes. */
export interface StateStoreOptions {
  /** Profile (local) or user key (remote): two namespaces never see each other's state. */
  readonly namespace: string;
  /** The clock of every expiry (ms). Defaults to `Date.now`. */
  readonly now?: () => number;
  /** How handles are derived from ids (the product's default unless a test needs collisions). */
  readonly handles?: HandleDerivation;
}
