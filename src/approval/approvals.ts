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
 * The profile's approval ledger (the {@link ApprovalLedger} port, shared by
 * every server of the profile) knows each draft's one open approval: only
 * that nonce can send (an older prompt is superseded), each nonce sends at
 * most once, and while a prompt is open or a send is in progress our own
 * update and discard of the draft are refused. A token is consumed before the
 * send request is made: a crash in between loses the send (the user asks
 * again), never doubles it; the draft then stays locked until the send
 * returns ({@link release}), or {@link SEND_HOLD_MS} if this process dies.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { createRequestStateCodec, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';
import type { ApprovalLedger, DraftKey } from '../state/ports.js';
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
export type ApprovalRefusal = 'tampered' | 'expired' | 'replayed' | 'superseded' | 'foreign-profile' | 'wrong-draft' | 'wrong-channel' | 'busy';

const REFUSAL_TEXT: Readonly<Record<ApprovalRefusal, string>> = {
  tampered: 'the approval token was altered or is not one this server issued for this profile',
  expired: 'the approval expired (approvals are valid for 10 minutes)',
  replayed: 'that approval was already used; each approval sends at most once',
  superseded: 'a newer confirmation prompt was opened for this draft; only the newest one can send',
  'foreign-profile': 'the approval was issued for another profile',
  'wrong-draft': 'the approval was issued for a different draft',
  'wrong-channel': 'the approval was issued for a different way of confirming',
  busy: 'another call was changing the draft at that moment, so what goes out could differ from what was approved',
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

/** Longest life of an approval: the MCP spec's advice for request state, and the legacy shim's wait for the user. */
export const APPROVAL_TTL_SECONDS = 600;
export const APPROVAL_KEY_FILE = 'approval.key';
/** Longest lock of a draft whose send is in progress, should the process die before the send returns. */
export const SEND_HOLD_MS = 15 * 60_000;
/**
 * Longest write lease of one of our own changes of a draft ({@link ApprovalService.whileWriting}), should the
 * process die before the change ends: until then no approval of the draft can be spent. Generous, because a
 * change may upload large attachments; a live holder always ends its lease itself.
 */
export const WRITE_LEASE_MAX_MS = 3600_000;

export interface ApprovalServiceOptions {
  /** The profile's state folder (the approval key lives there). */
  readonly stateDir: string;
  readonly profile: string;
  /** The profile's approval ledger. */
  readonly ledger: ApprovalLedger;
  /** The mailbox root drafts are in (`/me`, `/users/{upn}`): ledger entries are bound to it. */
  readonly mailboxRoot: string;
  readonly now: () => Date;
  /** At most {@link APPROVAL_TTL_SECONDS}. */
  readonly ttlSeconds?: number;
  /**
   * The signing key, when it is derived rather than kept in the profile (remote mode: every
   * replica derives the same per-user key from OUTLOOK_STATE_SECRET). Default: `approval.key`.
   */
  readonly key?: Uint8Array;
  /**
   * Told (for stderr) when the ledger failed to end a hold after the work it guarded was done: a send's lock
   * after the send, a write lease after our own change. The work's result stands; the hold ends by its expiry.
   */
  readonly onHoldNotReleased?: (message: string) => void;
}

/** Approvals of one profile. */
export class ApprovalService {
  private codecPromise?: Promise<RequestStateCodec<ApprovalClaim>>;
  readonly ttlSeconds: number;

  constructor(private readonly o: ApprovalServiceOptions) {
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
    // Only the newest prompt for a draft may send: an older one still open is superseded now.
    await this.o.ledger.open(this.draft(input.draftId), claim.nonce, exp * 1000, { lock: input.lock !== false });
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
    const standing = await this.o.ledger.standing(this.draft(claim.draftId), claim.nonce);
    if (standing !== 'open') throw new ApprovalError(standing === 'superseded' ? 'superseded' : 'replayed');
    return claim;
  }

  /**
   * Spends an approval (at most once, across processes and restarts); the draft stays locked until {@link release}.
   * Refused as `'busy'` while one of our own changes of the draft is in progress ({@link whileWriting}): the
   * approval is then left unspent and the caller releases it.
   */
  async consume(claim: ApprovalClaim): Promise<void> {
    const outcome = await this.o.ledger.consume(this.draft(claim.draftId), claim.nonce, SEND_HOLD_MS);
    if (!outcome.ok) throw new ApprovalError(outcome.reason === 'spent' ? 'replayed' : outcome.reason);
  }

  /** Ends the lock of a draft's prompt or send (answered, refused, sent or failed); a newer prompt's lock is left alone. */
  async release(draftId: string, nonce: string): Promise<void> {
    await this.o.ledger.release(this.draft(draftId), nonce);
  }

  /**
   * {@link release} after a send was attempted: a store failure here must not turn a sent mail into an error for
   * the agent (it would try again). The failure is reported to {@link ApprovalServiceOptions.onHoldNotReleased};
   * the approval was spent by consume, so the draft's lock simply lasts until its hold ({@link SEND_HOLD_MS})
   * ends. Resolves true when the lock was released, false when it was left to expire.
   */
  async releaseAfterSend(draftId: string, nonce: string): Promise<boolean> {
    try {
      await this.release(draftId, nonce);
      return true;
    } catch (err) {
      this.o.onHoldNotReleased?.(
        `The send lock of draft ${draftId} could not be released after the send (${(err as Error).message}); ` +
          `the approval is spent, and the draft stays locked against changes and sends for at most ${SEND_HOLD_MS / 60_000} min.`,
      );
      return false;
    }
  }

  /** The expiry of an open prompt for `draftId`, if any. */
  async pendingUntil(draftId: string): Promise<Date | undefined> {
    const until = await this.o.ledger.lockedUntil(this.draft(draftId));
    return until === undefined ? undefined : new Date(until);
  }

  /** Refuses a change to a draft whose send awaits the user's answer or is in progress. */
  async assertNotPending(draftId: string, action: 'update' | 'discard', handle: string): Promise<void> {
    const until = await this.pendingUntil(draftId);
    if (until) throw this.pendingError(until.getTime(), action, handle);
  }

  /**
   * Runs one of our own changes of a draft (update, discard) under a write lease of the ledger: refused while a
   * prompt for the draft is open or its send is in progress, and while it runs no approval of the draft can be
   * spent (consume answers 'busy'). Check and mark are one atomic step of the ledger, and the lease is held
   * until the change's last write, so a change that passed its check cannot land after a send's final re-read.
   * Once the change is done its outcome stands: a ledger failure ending the lease is reported to
   * {@link ApprovalServiceOptions.onHoldNotReleased}, and the lease ends by its expiry ({@link WRITE_LEASE_MAX_MS}).
   */
  async whileWriting<T>(draftId: string, action: 'update' | 'discard', handle: string, change: () => Promise<T>): Promise<T> {
    const draft = this.draft(draftId);
    const lease = randomBytes(12).toString('base64url');
    const begun = await this.o.ledger.beginWrite(draft, lease, this.o.now().getTime() + WRITE_LEASE_MAX_MS);
    if (!begun.ok) throw this.pendingError(begun.lockedUntil, action, handle);
    try {
      return await change();
    } finally {
      await this.o.ledger.endWrite(draft, lease).catch((err: unknown) =>
        this.o.onHoldNotReleased?.(
          `The write lease of draft ${draftId} could not be ended after its ${action} (${(err as Error).message}); ` +
            `the ${action} stands, and sends of the draft are refused as busy for at most ${WRITE_LEASE_MAX_MS / 60_000} min.`,
        ),
      );
    }
  }

  private pendingError(lockedUntil: number, action: 'update' | 'discard', handle: string): ApprovalPendingError {
    const minutes = Math.max(1, Math.ceil((lockedUntil - this.o.now().getTime()) / 60_000));
    return new ApprovalPendingError(
      `Draft ${handle} cannot be ${action === 'update' ? 'changed' : 'discarded'} now: the user is being asked to approve sending it exactly as it is, or it is being sent. ` +
        `Wait for the answer (at most ${minutes} min), then try again; a change after the answer needs a new approval.`,
    );
  }

  private draft(draftId: string): DraftKey {
    return { root: this.o.mailboxRoot, draftId };
  }

  private codec(): Promise<RequestStateCodec<ApprovalClaim>> {
    if (this.codecPromise) return this.codecPromise;
    // The key is read once per codec; reading it on every call would also leave a rejected, unawaited
    // promise behind whenever the profile folder had gone away meanwhile.
    const key = this.o.key ? Promise.resolve(this.o.key) : loadOrCreateKey(path.join(this.o.stateDir, APPROVAL_KEY_FILE));
    const codec = key.then((key) => createRequestStateCodec<ApprovalClaim>({ key, ttlSeconds: this.ttlSeconds }));
    this.codecPromise = codec;
    // A failed load is retried on the next call instead of being cached.
    codec.catch(() => {
      if (this.codecPromise === codec) this.codecPromise = undefined;
    });
    return codec;
  }
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
