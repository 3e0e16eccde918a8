/**
 * `mcp-server-outlook state migrate --to redis`: copies the profile's local state (the embedded store in its
 * folder) into Redis, into the profile's namespace (what a server with OUTLOOK_STATE_STORE=redis and the same
 * OUTLOOK_STATE_SECRET uses) or, with --user, into a remote-mode user's namespace. The local store is read only
 * and stays as it is. See src/state/migrate.ts for what is copied and how.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { mailboxRoot, type Config } from '../config/config.js';
import { stateDir } from '../runtime.js';
import { EMBEDDED_STATE_FILE } from '../state/embedded/engine.js';
import { UsageError, type CliIo } from './io.js';

export interface StateMigrateOptions {
  readonly to: string;
  readonly redisUrl?: string;
  readonly user?: string;
  readonly force?: boolean;
}

/** Copies the profile's embedded state into Redis; returns the exit code. */
export async function migrateState(config: Config, io: CliIo, o: StateMigrateOptions): Promise<number> {
  if (o.to !== 'redis') throw new UsageError(`--to ${o.to} is not a state store this command copies into. Use --to redis.`);
  const url = o.redisUrl ?? config.redisUrl;
  if (!url) throw new UsageError('Say where Redis is: --redis-url redis://host:6379 (or OUTLOOK_REDIS_URL with OUTLOOK_STATE_STORE=redis).');
  if (!/^rediss?:\/\//.test(url)) throw new UsageError(`--redis-url must start with redis:// or rediss:// (got "${url.replace(/\/\/[^@/]*@/, '//***@')}").`);
  if (!config.stateSecret) {
    throw new UsageError('Set OUTLOOK_STATE_SECRET (at least 32 characters) to the secret the servers on Redis use: it decides the namespace the state is copied into.');
  }
  const dir = stateDir(config);
  // Legacy JSON files are imported on open (as a server would), so a profile not started since an upgrade is copied whole too.
  if (!existsSync(path.join(dir, EMBEDDED_STATE_FILE)) && !(existsSync(dir) && readdirSync(dir).some((f) => /^(drafts|approvals|cursors)\.json$|^handles\.jsonl$/.test(f)))) {
    throw new UsageError(`Profile "${config.profile}" has no local state in ${dir}, so there is nothing to copy. Check --profile (and --sandbox).`);
  }
  const [{ openLocalStore }, { RedisConnection, redactRedisUrl }, { openRedisState }, { RedisKeys }, { stateNamespace }, { copyEmbeddedState }] = await Promise.all([
    import('../state/profile-state.js'),
    import('../state/redis/connection.js'),
    import('../state/redis/store.js'),
    import('../state/redis/keys.js'),
    import('../state/redis/profile-state.js'),
    import('../state/migrate.js'),
  ]);
  const namespace = o.user !== undefined ? stateNamespace(config.stateSecret, 'user', o.user) : stateNamespace(config.stateSecret, 'profile', config.profile);
  const target = `Redis at ${redactRedisUrl(url)} (${o.user !== undefined ? `user "${o.user}"` : `profile "${config.profile}"`})`;
  const connection = await RedisConnection.connect({ url });
  try {
    const source = await openLocalStore({ dir, profile: config.profile, mailboxRoot: mailboxRoot(config), onWarning: (m) => io.stderr(`warning: ${m}\n`) });
    try {
      const prefix = new RedisKeys(namespace).prefix;
      const counts = await copyEmbeddedState(source, openRedisState({ namespace, connection }), {
        force: o.force === true,
        target,
        // Gate leases and pauses last seconds and are not state worth protecting.
        targetHasState: () => connection.command(async (c) => (await scanKeys(c, `${prefix}*`)).some((k) => !/:(gate|pause):/.test(k.slice(prefix.length - 1)))),
      });
      io.stdout(
        `Copied profile "${config.profile}" into ${target}: ${counts.drafts} drafts, ${counts.handles} handles, ${counts.cursors} cursors, ${counts.deltaLinks} delta links, ` +
          `${counts.approvals} drafts with approvals or locks, ${counts.downloads} downloads; every record read back.` +
          (counts.handlesChanged ? ` ${counts.handlesChanged} handle(s) got other letters (the id they collided with had expired); list again to get them.` : '') +
          ` The local store in ${dir} is unchanged. Start the servers with OUTLOOK_STATE_STORE=redis and OUTLOOK_REDIS_URL to use the copy.\n`,
      );
      return 0;
    } finally {
      await source.close();
    }
  } finally {
    await connection.close();
  }
}

/** Every key matching `pattern` (SCAN, so a large Redis is not blocked). */
async function scanKeys(client: { sendCommand(args: string[]): Promise<unknown> }, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = (await client.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
    keys.push(...batch);
    cursor = String(next);
  } while (cursor !== '0');
  return keys;
}
