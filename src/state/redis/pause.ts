/** The shared Retry-After pause on Redis: per mailbox, the end of the longest pause any replica was told. */
import type { ThrottlePause } from '../ports.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';

/** {@link ThrottlePause} on Redis. */
export class RedisThrottlePause implements ThrottlePause {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {}

  async pauseUntil(mailbox: string, until: number): Promise<void> {
    await this.conn.run('pause-extend', [this.keys.pause(mailbox)], [this.now(), until]);
  }

  async pausedUntil(mailbox: string): Promise<number | undefined> {
    const raw = await this.conn.command((c) => c.get(this.keys.pause(mailbox)));
    const until = raw == null ? 0 : Number(raw);
    return until > this.now() ? until : undefined;
  }
}
