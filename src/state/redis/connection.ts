/**
 * The one Redis connection of a process, shared by every namespace's store, and the rules every command
 * obeys:
 * - bounded: each command has a deadline (`commandTimeoutMs`), also after it was written to the socket,
 *   so a hung or black-holed server costs one timeout, never a stuck tool call;
 * - fail closed: while the connection is down, commands are refused at once (no offline queue that would
 *   replay them minutes later), and every failure becomes a {@link StateUnavailableError} that says
 *   the call stopped, that no send goes ahead, and what to do. A command that timed out after it was written may still have run
 *   on the server: the caller treats it as failed, which for an approval means "spent", never "unspent";
 * - self-healing: the client reconnects in the background (capped backoff), and scripts the restarted
 *   server no longer knows are loaded again on first use (node-redis answers NOSCRIPT with EVAL).
 */
import { createClient, ErrorReply, type RedisClientType, type RedisScripts } from '@redis/client';
import { StateUnavailableError } from '../ports.js';
import { loadScripts, type ScriptName } from './scripts.js';

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL (OUTLOOK_REDIS_URL). */
  readonly url: string;
  /** Deadline of one command, including the wait for its reply. Default 2000 ms. */
  readonly commandTimeoutMs?: number;
  /** Deadline of one connection attempt. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Connection attempts before {@link connectRedis} gives up at start-up. Default 3. */
  readonly startupAttempts?: number;
  /** Where connection errors go (they are also thrown to callers as {@link StateUnavailableError}). */
  readonly onError?: (err: Error) => void;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
/** Longest pause between reconnection attempts: short, so service resumes soon after Redis is back. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

type Client = RedisClientType<Record<string, never>, Record<string, never>, RedisScripts>;

/** A connected client plus the project's scripts, with every failure mapped to {@link StateUnavailableError}. */
export class RedisConnection {
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly where: string,
  ) {}

  /** Connects (retrying a few times), so a wrong URL or a stopped server is a start-up error, not a first-call one. */
  static async connect(opts: RedisConnectionOptions): Promise<RedisConnection> {
    const where = redactRedisUrl(opts.url);
    const attempts = opts.startupAttempts ?? 3;
    let ready = false;
    const client = createClient({
      url: opts.url,
      scripts: await loadScripts(),
      // Refuse at once while disconnected: a queued command could run long after its tool call gave up.
      disableOfflineQueue: true,
      commandOptions: { timeout: opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, rejectInFlight: true },
      socket: {
        connectTimeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        // Before the first connection: give up after a few tries (start-up error). After it: never give up.
        reconnectStrategy: (retries, cause) => (!ready && retries + 1 >= attempts ? cause : Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS)),
      },
    }) as unknown as Client;
    // Without a listener node-redis would crash the process on a connection error.
    client.on('error', (err: Error) => opts.onError?.(err));
    try {
      await client.connect();
    } catch (err) {
      client.destroy();
      throw new StateUnavailableError(
        `Cannot connect to the state store at ${where} (${describe(err)}). Start Redis or correct OUTLOOK_REDIS_URL, then start the server again.`,
        { cause: err },
      );
    }
    ready = true;
    return new RedisConnection(client, where);
  }

  /** Runs one of the project's Lua scripts by name with its keys passed explicitly. */
  async run<T>(name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
    const call = (this.client as unknown as Record<ScriptName, (k: readonly string[], a: readonly string[]) => Promise<unknown>>)[name];
    return (await this.guard(() => call.call(this.client, keys, args.map(String)))) as T;
  }

  /** Runs plain commands (reads without a check-and-set) under the same rules. */
  command<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    return this.guard(() => fn(this.client));
  }

  /**
   * Whether an acknowledged write survives a crash of the Redis server: append-only file with an fsync
   * per write. `unknown` where the server does not let us ask (managed services often refuse CONFIG).
   */
  async durability(): Promise<'always' | 'not-always' | 'unknown'> {
    const info = String(await this.command((c) => c.info('persistence')));
    if (/^aof_enabled:0/m.test(info)) return 'not-always';
    try {
      const reply = (await this.command((c) => c.configGet('appendfsync'))) as Record<string, string>;
      return reply.appendfsync === 'always' ? 'always' : 'not-always';
    } catch {
      return 'unknown';
    }
  }

  /** Closes the connection for good (waits for the replies of commands already sent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StateUnavailableError('The state store connection is closed because the server is shutting down, so this call stopped and no send goes ahead. Retry the call once the server is back.');
    try {
      return await fn();
    } catch (err) {
      // A script's own error reply is a bug of ours, not an outage: show it as it is.
      if (err instanceof ErrorReply && !/^(NOSCRIPT|LOADING|BUSY|MASTERDOWN|READONLY|NOREPLICAS|CLUSTERDOWN|TRYAGAIN)/.test(err.message)) throw err;
      throw new StateUnavailableError(
        `The state store (Redis at ${this.where}) did not answer (${describe(err)}), so this call stopped. No send goes ahead without the state store, and an approval it was using counts as spent (if this was a send, Sent Items shows whether Graph had taken it before). Check that Redis is running and reachable (OUTLOOK_REDIS_URL), then retry the call.`,
        { cause: err },
      );
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.replace(/\s+/g, ' ').slice(0, 200);
  return String(err);
}
