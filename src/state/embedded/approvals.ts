/**
 * The approval ledger on LMDB. Per draft (key [root, draftId]) one record:
 * the draft's newest approval (`open`), the lock of an open prompt
 * (`prompt`), the lock of a send in progress (`send`) and the write leases
 * of our own changes in progress (`write`, lease id → expiry). Per nonce that
 * can no longer send, a record saying why, until the approval's expiry.
 * Every check-and-change runs in one write transaction, which LMDB
 * serialises across processes: two consumes never both see "open".
 */
import type { Database, RootDatabase } from 'lmdb';
import type { ApprovalLedger, ApprovalStanding, BeginWriteOutcome, ConsumeOutcome, DraftKey } from '../ports.js';

interface Hold {
  nonce: string;
  until: number;
}

/** What the ledger holds for one draft (exported for the copy to another store, src/state/migrate.ts). */
export interface DraftEntry {
  open?: { nonce: string; exp: number };
  prompt?: Hold;
  send?: Hold;
  write?: Record<string, number>;
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
      // One of our own changes is still writing: what goes out could differ from what was approved.
      if (entry.write) return { ok: false, reason: 'busy' };
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
    const until = lockOf(this.read([draft.root, draft.draftId], now));
    return until > now ? until : undefined;
  }

  async beginWrite(draft: DraftKey, lease: string, expiresAt: number): Promise<BeginWriteOutcome> {
    return this.drafts.transaction((): BeginWriteOutcome => {
      const now = this.now();
      const key = [draft.root, draft.draftId];
      const entry = this.read(key, now);
      const locked = lockOf(entry);
      if (locked > now) return { ok: false, lockedUntil: locked };
      entry.write = { ...entry.write, [lease]: expiresAt };
      this.write(key, entry);
      return { ok: true };
    });
  }

  async endWrite(draft: DraftKey, lease: string): Promise<void> {
    await this.drafts.transaction(() => {
      const key = [draft.root, draft.draftId];
      const entry = this.read(key, this.now());
      if (!entry.write?.[lease]) return;
      delete entry.write[lease];
      if (Object.keys(entry.write).length === 0) delete entry.write;
      this.write(key, entry);
    });
  }

  /** Every draft's live entry (expired parts dropped): what a copy to another store must carry over. */
  async entries(): Promise<{ draft: DraftKey; entry: DraftEntry }[]> {
    const now = this.now();
    const out: { draft: DraftKey; entry: DraftEntry }[] = [];
    for (const { key, value } of this.drafts.getRange()) {
      const entry = prune(value, now);
      if (!isEmpty(entry)) out.push({ draft: { root: key[0]!, draftId: key[1]! }, entry });
    }
    return out;
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
  const write = Object.entries(entry.write ?? {}).filter(([, until]) => until > now);
  if (write.length > 0) out.write = Object.fromEntries(write);
  return out;
}

/** Until when a (pruned) entry locks its draft: its prompt or its send in progress; 0 when neither. */
function lockOf(entry: DraftEntry): number {
  return Math.max(entry.prompt?.until ?? 0, entry.send?.until ?? 0);
}

function isEmpty(entry: DraftEntry): boolean {
  return !entry.open && !entry.prompt && !entry.send && !entry.write;
}
