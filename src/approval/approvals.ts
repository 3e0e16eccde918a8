/**
 * Single-use, expiring approvals of one exact send, bound to this profile.
 *
 * An approval is a token signed with the MCP SDK's request-state codec
 * (HMAC-SHA256) under a key of this profile's own (`approval.key`, 32 random
 * bytes, 0600, created on first use), so it survives a restart but no other
 * profile can mint or verify one. Its payload names the profile, the draft,
 * the digest of everything that would go out (digest.ts), the channel that
 * asked the human (elicitation or the review card) and a random nonce.
 *
 * `approvals.json` beside the key (locked read-modify-write, atomic) holds
 * - `pending`: the draft → nonce of the one prompt currently open for it. While
 *   it is there and unexpired, our own update and discard of that draft are
 *   refused, and only that nonce can send (an older prompt is superseded);
 * - `used`: every nonce consumed, until its expiry, so a replay is refused
 *   even after a restart.
 * A token is consumed before the send request is made: a crash in between
 * loses the send (the user asks again), never doubles it.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { createRequestStateCodec, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';
import { mutateJsonState, readJsonState } from '../state/locked-json.js';
import { UserFacingError } from '../errors.js';

/** How the human was asked. */
export type ApprovalChannel = 'elicit' | 'card';

/** The signed payload of an approval. */
export interface ApprovalClaim {
  readonly v: 1;
  readonly profile: string;
  /** The draft's Graph id. */
  readonly draftId: string;
  readonly digest: string;
  readonly channel: ApprovalChannel;
  readonly nonce: string;
  /** Unix seconds when it was minted. */
  readonly iat: number;
}

/** Why an approval was refused. */
export type ApprovalRefusal = 'tampered' | 'expired' | 'replayed' | 'superseded' | 'foreign-profile' | 'wrong-draft' | 'wrong-channel';

const REFUSAL_TEXT: Readonly<Record<ApprovalRefusal, string>> = {
  tampered: 'the approval token was altered or is not one this server issued for this profile',
  expired: 'the approval expired (approvals are valid for 10 minutes)',
  replayed: 'that approval was already used; each approval sends at most once',
  superseded: 'a newer confirmation prompt was opened for this draft; only the newest one can send',
  'foreign-profile': 'the approval was issued for another profile',
  'wrong-draft': 'the approval was issued for a different draft',
  'wrong-channel': 'the approval was issued for a different way of confirming',
};

/** Why an approval does not apply, as a clause ("the approval expired (…)"). */
export function approvalRefusalText(reason: ApprovalRefusal): string {
  return REFUSAL_TEXT[reason];
}

/** An approval that does not authorise this send; nothing was sent. */
export class ApprovalError extends UserFacingError {
  override name = 'ApprovalError';
  constructor(readonly reason: ApprovalRefusal) {
    super(`approval-${reason}`, `Not sent: ${REFUSAL_TEXT[reason]}. Call ol_email_send_draft again to ask the user about the current version of the draft.`);
  }
}

/** Our own update or discard of a draft whose send is awaiting the user's answer. */
export class ApprovalPendingError extends UserFacingError {
  override name = 'ApprovalPendingError';
  constructor(message: string) {
    super('approval-pending', message);
  }
}

/** The approval key file is unusable; says which file and what to do. */
export class ApprovalKeyError extends UserFacingError {
  override name = 'ApprovalKeyError';
  constructor(message: string) {
    super('approval-key', message);
  }
}

interface ApprovalsFile {
  v: 1;
  /** `open: false` = the newest approval of the draft, shown but not yet pressed (the review card's): it does not lock the draft. */
  pending: Record<string, { nonce: string; exp: number; open?: boolean }>;
  used: Record<string, number>;
  /** Nonces of prompts replaced by a newer one for the same draft, until their expiry. */
  superseded: Record<string, number>;
}

const EMPTY = (): ApprovalsFile => ({ v: 1, pending: {}, used: {}, superseded: {} });
/** Longest life of an approval: the MCP spec's advice for request state, and the legacy shim's wait for the user. */
export const APPROVAL_TTL_SECONDS = 600;
export const APPROVAL_KEY_FILE = 'approval.key';
export const APPROVALS_FILE = 'approvals.json';

export interface ApprovalServiceOptions {
  /** The profile's state folder. */
  readonly stateDir: string;
  readonly profile: string;
  readonly now: () => Date;
  /** At most {@link APPROVAL_TTL_SECONDS}. */
  readonly ttlSeconds?: number;
  /**
   * The signing key, when it is derived rather than kept in the profile (remote mode: every
   * replica derives the same per-user key from OUTLOOK_STATE_SECRET). Default: `approval.key`.
   */
  readonly key?: Uint8Array;
}

function normalise(file: ApprovalsFile | null | undefined): ApprovalsFile {
  const f = file && typeof file === 'object' ? file : EMPTY();
  const map = <T>(v: unknown): Record<string, T> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, T>) : {});
  return { v: 1, pending: map(f.pending), used: map(f.used), superseded: map(f.superseded) };
}

/** Approvals of one profile. */
export class ApprovalService {
  private codecPromise?: Promise<RequestStateCodec<ApprovalClaim>>;
  private readonly file: string;
  readonly ttlSeconds: number;

  constructor(private readonly o: ApprovalServiceOptions) {
    this.file = path.join(o.stateDir, APPROVALS_FILE);
    this.ttlSeconds = Math.min(o.ttlSeconds ?? APPROVAL_TTL_SECONDS, APPROVAL_TTL_SECONDS);
  }

  private nowSeconds(): number {
    return Math.floor(this.o.now().getTime() / 1000);
  }

  /**
   * Issues an approval request for one exact version of a draft and marks the draft as awaiting the user.
   * `lock: false` (the review card) makes it the draft's newest approval without locking the draft: a
   * card may stay on screen for minutes while the agent keeps editing; an edit then makes the card's
   * approval stale (digest), and the lock starts when Send is pressed ({@link consume}).
   */
  async mint(input: { draftId: string; digest: string; channel: ApprovalChannel; lock?: boolean }): Promise<{ token: string; claim: ApprovalClaim; expiresAt: Date }> {
    const codec = await this.codec();
    const claim: ApprovalClaim = { v: 1, profile: this.o.profile, draftId: input.draftId, digest: input.digest, channel: input.channel, nonce: randomBytes(16).toString('base64url'), iat: this.nowSeconds() };
    const exp = claim.iat + this.ttlSeconds;
    await this.mutate((f) => {
      const previous = f.pending[input.draftId];
      // Only the newest prompt for a draft may send: an older one still open is spent now.
      const previousLocks = !!previous && previous.exp > claim.iat && previous.open !== false;
      if (previous && previous.exp > claim.iat) f.superseded[previous.nonce] = previous.exp;
      // A card opened while a prompt is open must not lift that prompt's lock.
      f.pending[input.draftId] = input.lock === false && !previousLocks ? { nonce: claim.nonce, exp, open: false } : { nonce: claim.nonce, exp };
    });
    return { token: await codec.mint(claim), claim, expiresAt: new Date(exp * 1000) };
  }

  /** Checks a token for this profile, draft and channel; throws {@link ApprovalError} saying why it does not apply. */
  async verify(token: string, expected: { draftId: string; channel: ApprovalChannel }): Promise<ApprovalClaim> {
    const codec = await this.codec();
    let claim: ApprovalClaim;
    try {
      // The codec has no context binding (the per-profile key is the binding), so it needs no server context.
      claim = await codec.verify(token, {} as ServerContext);
    } catch (err) {
      throw new ApprovalError(err instanceof Error && err.message === 'expired' ? 'expired' : 'tampered');
    }
    if (claim?.v !== 1 || typeof claim.nonce !== 'string' || typeof claim.digest !== 'string') throw new ApprovalError('tampered');
    if (claim.profile !== this.o.profile) throw new ApprovalError('foreign-profile');
    if (claim.draftId !== expected.draftId) throw new ApprovalError('wrong-draft');
    if (claim.channel !== expected.channel) throw new ApprovalError('wrong-channel');
    if (claim.iat + this.ttlSeconds <= this.nowSeconds()) throw new ApprovalError('expired');
    spendable(await this.read(), claim);
    return claim;
  }

  /** Spends an approval (at most once, across processes and restarts); the draft stays locked until {@link release}. */
  async consume(claim: ApprovalClaim): Promise<void> {
    const now = this.nowSeconds();
    await this.mutate((f) => {
      spendable(f, claim);
      f.used[claim.nonce] = Math.max(claim.iat + this.ttlSeconds, now + 1);
      // Consumed but still in progress: the lock now lasts until release(), bounded by the approval's life.
      f.pending[claim.draftId] = { nonce: claim.nonce, exp: claim.iat + this.ttlSeconds };
    });
  }

  /** Ends the lock of a draft's prompt (answered, refused or sent); a newer prompt's lock is left alone. */
  async release(draftId: string, nonce: string): Promise<void> {
    await this.mutate((f) => {
      if (f.pending[draftId]?.nonce === nonce) delete f.pending[draftId];
      // A prompt that ends unanswered must not stay usable either.
      f.used[nonce] ??= this.nowSeconds() + this.ttlSeconds;
    });
  }

  /** The expiry of an open prompt for `draftId`, if any. */
  async pendingUntil(draftId: string): Promise<Date | undefined> {
    const p = (await this.read()).pending[draftId];
    return p && p.open !== false && p.exp > this.nowSeconds() ? new Date(p.exp * 1000) : undefined;
  }

  /** Refuses a change to a draft whose send awaits the user's answer. */
  async assertNotPending(draftId: string, action: 'update' | 'discard', handle: string): Promise<void> {
    const until = await this.pendingUntil(draftId);
    if (!until) return;
    const minutes = Math.max(1, Math.ceil((until.getTime() - this.o.now().getTime()) / 60_000));
    throw new ApprovalPendingError(
      `Draft ${handle} cannot be ${action === 'update' ? 'changed' : 'discarded'} now: the user is being asked to approve sending it exactly as it is. ` +
        `Wait for the answer (the prompt expires within ${minutes} min), then try again; a change after the answer needs a new approval.`,
    );
  }

  private async read(): Promise<ApprovalsFile> {
    return normalise(await readJsonState<ApprovalsFile>(this.file, EMPTY, 'approvals'));
  }

  private async mutate(change: (f: ApprovalsFile) => void): Promise<void> {
    const now = this.nowSeconds();
    await mutateJsonState<ApprovalsFile, void>(this.file, EMPTY, 'approvals', (current) => {
      const f = normalise(current);
      // Expired entries can be forgotten: the codec refuses an expired token on its own.
      for (const [k, exp] of Object.entries(f.used)) if (exp <= now) delete f.used[k];
      for (const [k, exp] of Object.entries(f.superseded)) if (exp <= now) delete f.superseded[k];
      for (const [k, p] of Object.entries(f.pending)) if (p.exp <= now) delete f.pending[k];
      change(f);
      return { next: f, result: undefined };
    });
  }

  private codec(): Promise<RequestStateCodec<ApprovalClaim>> {
    const key = this.o.key ? Promise.resolve(this.o.key) : loadOrCreateKey(path.join(this.o.stateDir, APPROVAL_KEY_FILE));
    this.codecPromise ??= key.then((key) => createRequestStateCodec<ApprovalClaim>({ key, ttlSeconds: this.ttlSeconds }));
    // A failed load is retried on the next call instead of being cached.
    this.codecPromise.catch(() => (this.codecPromise = undefined));
    return this.codecPromise;
  }
}

/** Throws unless `claim` is the open, unspent prompt of its draft. */
function spendable(f: ApprovalsFile, claim: ApprovalClaim): void {
  if (f.superseded[claim.nonce] !== undefined) throw new ApprovalError('superseded');
  if (f.used[claim.nonce] !== undefined) throw new ApprovalError('replayed');
  // Neither open nor spent: the prompt's lock expired or was never recorded here.
  if (f.pending[claim.draftId]?.nonce !== claim.nonce) throw new ApprovalError('replayed');
}

const KEY_BYTES = 32;

/** Reads the profile's approval key, creating it (exclusively, 0600) on first use. */
export async function loadOrCreateKey(file: string): Promise<Uint8Array> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    const handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      await handle.writeFile(randomBytes(KEY_BYTES).toString('hex') + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ApprovalKeyError(`Cannot create the approval key ${file}: ${(err as Error).message}. Make sure the profile folder is yours and writable.`);
  }
  let text: string;
  try {
    const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const st = await handle.stat();
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
        throw new ApprovalKeyError(`The approval key ${file} can be read by other users (mode ${(st.mode & 0o777).toString(8)}). Delete it; a new one is created (open send prompts then need to be answered again).`);
      }
      text = (await handle.readFile('utf8')).trim();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof ApprovalKeyError) throw err;
    throw new ApprovalKeyError(`Cannot read the approval key ${file}: ${(err as Error).message}. Delete it; a new one is created.`);
  }
  // A concurrent creator may not have written yet: an empty file is retried once shortly.
  if (text === '') {
    await new Promise((r) => setTimeout(r, 50));
    text = (await fs.readFile(file, 'utf8')).trim();
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new ApprovalKeyError(`The approval key ${file} is damaged. Delete it; a new one is created (open send prompts then need to be answered again).`);
  return Buffer.from(text, 'hex');
}
