/** The shared Retry-After pause on LMDB: per mailbox, the end of the longest pause any process was told. */
import type { Database, RootDatabase } from 'lmdb';
import type { ThrottlePause } from '../ports.js';

/** {@link ThrottlePause} on the embedded engine. */
export class EmbeddedThrottlePause implements ThrottlePause {
  private readonly db: Database<number, string>;

  constructor(
    root: RootDatabase,
    private readonly now: () => number,
  ) {
    this.db = root.openDB({ name: 'pause' });
  }

  async pauseUntil(mailbox: string, until: number): Promise<void> {
    await this.db.transaction(() => {
      const current = this.db.get(mailbox) ?? 0;
      if (until > current) this.db.put(mailbox, until);
    });
  }

  async pausedUntil(mailbox: string): Promise<number | undefined> {
    const until = this.db.get(mailbox);
    return until !== undefined && until > this.now() ? until : undefined;
  }
}
