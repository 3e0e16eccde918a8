/**
 * The approval ledger on LMDB. Per draft (key [root, draftId]) one record:
 * the draft's newest approval (`open`), the lock of an open prompt
 * (`prompt`) and the lock of a send in progress (`send`). Per nonce that
 * can no longer send, a record saying why, until the approval's expiry.
 * Every check-and-change runs in one write transaction, which LMDB
 * serialises across processes: two consumes never both see "open".
 */
import type { Database, RootDatabase } from 'lmdb';
import type { ApprovalLedger, ApprovalStanding, ConsumeOutcome, DraftKey } from '../ports.js';

interface Hold {
  nonce: string;
  until: number;
}

interface DraftEntry {
  open?: { nonce: string; exp: number };
  prompt?: Hold;
  send?: Hold;
}

interface NonceEntry {
  why: 'superseded' | 'spent';
  until: number;
  root: string;
  draftId: string;
}

const live = (h: Hold | undefined, now: number): h is Hold => !!h && h.until > now;

/** {@link ApprovalLedger} on the embedded engine. */
export class EmbeddedApprovalLedger implements ApprovalLedger {
  private readonly drafts: Database<DraftEntry, string[]>;
  private readonly nonces: Database<NonceEntry, string>;

  constructor(
    root: RootDatabase,
    private readonly now: () => number,
  ) {
    this.drafts = root.openDB({ name: 'approvals' });
    this.nonces = root.openDB({ name: 'approval-nonces' });
  }

  async open(draft: DraftKey, nonce: string, expiresAt: number, options: { readonly lock: boolean }): Promise<void> {
    await this.drafts.transaction(() => {
      const now = this.now();
      const key = [draft.root, draft.draftId];
      const entry = this.read(key, now);
      if (entry.open && entry.open.exp > now) this.nonces.put(entry.open.nonce, { why: 'superseded', until: entry.open.exp, root: draft.root, draftId: draft.draftId });
      entry.open = { nonce, exp: expiresAt };
      // A card (lock: false) opened while a prompt holds the draft keeps it held, now under the card's nonce.
      if (options.lock || live(entry.prompt, now)) entry.prompt = { nonce, until: Math.max(expiresAt, entry.prompt?.until ?? 0) };
      this.drafts.put(key, entry);
    });
  }

  async standing(draft: DraftKey, nonce: string): Promise<ApprovalStanding> {
    return this.standingAt(draft, nonce, this.now());
  }

  async consume(draft: DraftKey, nonce: string, holdMs: number): Promise<ConsumeOutcome> {
    const outcome = await this.drafts.transaction((): ConsumeOutcome => {
      const now = this.now();
      const standing = this.standingAt(draft, nonce, now);
      if (standing !== 'open') return { ok: false, reason: standing };
      const key = [draft.root, draft.draftId];
      const entry = this.read(key, now);
      const exp = entry.open?.exp ?? now;
      delete entry.open;
      if (entry.prompt?.nonce === nonce) delete entry.prompt;
      entry.send = { nonce, until: now + holdMs };
      this.drafts.put(key, entry);
      this.nonces.put(nonce, { why: 'spent', until: Math.max(exp, now + holdMs), root: draft.root, draftId: draft.draftId });
      return { ok: true };
    });
    // The send follows at once: the spend must survive a power cut, not only a crash of this process.
    if (outcome.ok) await this.drafts.flushed;
    return outcome;
  }

  async release(draft: DraftKey, nonce: string): Promise<void> {
    await this.drafts.transaction(() => {
      const now = this.now();
      const key = [draft.root, draft.draftId];
      const entry = this.read(key, now);
      const until = Math.max(entry.open?.nonce === nonce ? entry.open.exp : 0, entry.send?.nonce === nonce ? entry.send.until : 0, now + 1);
      if (entry.open?.nonce === nonce) delete entry.open;
      if (entry.prompt?.nonce === nonce) delete entry.prompt;
      if (entry.send?.nonce === nonce) delete entry.send;
      this.write(key, entry);
      if (this.nonces.get(nonce)?.why !== 'superseded') this.nonces.put(nonce, { why: 'spent', until, root: draft.root, draftId: draft.draftId });
    });
  }

  async lockedUntil(draft: DraftKey): Promise<number | undefined> {
    const now = this.now();
    const entry = this.read([draft.root, draft.draftId], now);
    const until = Math.max(entry.prompt?.until ?? 0, entry.send?.until ?? 0);
    return until > now ? until : undefined;
  }

  /** Drops what has expired; returns how many records went. */
  async compact(): Promise<number> {
    const now = this.now();
    return this.drafts.transaction(() => {
      let gone = 0;
      for (const { key, value } of this.nonces.getRange()) {
        if (value.until <= now) {
          this.nonces.remove(key);
          gone++;
        }
      }
      for (const { key, value } of this.drafts.getRange()) {
        const pruned = prune(value, now);
        if (isEmpty(pruned)) {
          this.drafts.remove(key);
          gone++;
        }
      }
      return gone;
    });
  }

  private standingAt(draft: DraftKey, nonce: string, now: number): ApprovalStanding {
    const spent = this.nonces.get(nonce);
    if (spent && spent.until > now) return spent.why;
    const open = this.read([draft.root, draft.draftId], now).open;
    return open?.nonce === nonce ? 'open' : 'spent';
  }

  private read(key: string[], now: number): DraftEntry {
    return prune(this.drafts.get(key) ?? {}, now);
  }

  private write(key: string[], entry: DraftEntry): void {
    if (isEmpty(entry)) this.drafts.remove(key);
    else this.drafts.put(key, entry);
  }
}

/** The entry without its expired parts. */
function prune(entry: DraftEntry, now: number): DraftEntry {
  const out: DraftEntry = {};
  if (entry.open && entry.open.exp > now) out.open = entry.open;
  if (live(entry.prompt, now)) out.prompt = entry.prompt;
  if (live(entry.send, now)) out.send = entry.send;
  return out;
}

function isEmpty(entry: DraftEntry): boolean {
  return !entry.open && !entry.prompt && !entry.send;
}
