/**
 * The approval ledger on Redis: one JSON document per draft (key per mailbox root + draft id) holding
 * its open approval, its prompt and send locks and the nonces that can no longer send
 * (lua/include/approval-document.lua). Every change is one Lua script, which Redis runs alone: two
 * consumes of one nonce, from any number of replicas, never both see "open".
 *
 * Fail closed: if Redis cannot answer, consume rejects ({@link StateUnavailableError}) and the send does
 * not happen; a consume that timed out after it was written counts as spent for the caller (the user is
 * asked again), never as unspent.
 */
import type { ApprovalLedger, ApprovalStanding, ConsumeOutcome, DraftKey } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** {@link ApprovalLedger} on Redis. */
export class RedisApprovalLedger implements ApprovalLedger {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {}

  async open(draft: DraftKey, nonce: string, expiresAt: number, options: { readonly lock: boolean }): Promise<void> {
    await this.conn.run('approval-open', [this.key(draft)], [this.now(), nonce, expiresAt, options.lock ? 1 : 0]);
  }

  async standing(draft: DraftKey, nonce: string): Promise<ApprovalStanding> {
    return (await this.inspect(draft, nonce))[0];
  }

  async consume(draft: DraftKey, nonce: string, holdMs: number): Promise<ConsumeOutcome> {
    const reply = await this.conn.run<string>('approval-consume', [this.key(draft)], [this.now(), nonce, holdMs]);
    if (reply === 'ok') return { ok: true };
    if (reply === 'superseded' || reply === 'spent') return { ok: false, reason: reply };
    throw new Error(`approval-consume answered ${JSON.stringify(reply)}`);
  }

  async release(draft: DraftKey, nonce: string): Promise<void> {
    await this.conn.run('approval-release', [this.key(draft)], [this.now(), nonce]);
  }

  async lockedUntil(draft: DraftKey): Promise<number | undefined> {
    const until = (await this.inspect(draft, ''))[1];
    return until > 0 ? until : undefined;
  }

  private async inspect(draft: DraftKey, nonce: string): Promise<[ApprovalStanding, number]> {
    const [standing, until] = await this.conn.run<[ApprovalStanding, string]>('approval-inspect', [this.key(draft)], [this.now(), nonce]);
    return [standing, Number(until)];
  }

  private key(draft: DraftKey): string {
    return this.keys.approval(draft.root, draft.draftId);
  }
}
