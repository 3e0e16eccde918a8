/**
 * One runtime per user in remote mode: the same services the local server
 * runs, built around that user's state folder, that user's approval key and
 * a Graph token provider that only ever serves that user's own requests.
 * What the runtime is built from is a factory `(userKey) => runtime`, the
 * seam where the Redis-backed state will plug in; today it uses the local
 * store under a folder named by the user key.
 */
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { startRuntime } from '../runtime.js';
import type { ServerDeps } from '../server-deps.js';
import type { ToolDef } from '../tools/define.js';
import { callerTokens, type OboExchange } from './obo.js';
import { approvalKeyOf } from './user-key.js';

/** What serving one user needs. */
export interface UserRuntime {
  readonly deps: ServerDeps;
  readonly tools: readonly ToolDef[];
  close(): Promise<void>;
}

/** Builds the runtime of one user. */
export type UserRuntimeFactory = (userKey: string) => Promise<UserRuntime>;

/** Where a user's state lives with the local store: `<cache>/@remote/<user key>` ('@' keeps it apart from any profile). */
export function userStateDir(config: Pick<Config, 'cacheDir'>, userKey: string): string {
  return path.join(config.cacheDir, '@remote', userKey);
}

/** `config` for one user: their own profile name and state folder (property descriptors kept, so lazy values stay lazy). */
export function configForUser(config: Config, userKey: string): Config {
  const d: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(config);
  d.profile = { value: `u-${userKey.slice(0, 32)}`, enumerable: true };
  d.profileDir = { value: userStateDir(config, userKey), enumerable: true };
  return Object.freeze(Object.create(Object.prototype, d) as Config);
}

export interface LocalUserRuntimeOptions {
  exchange: OboExchange;
  logger: Logger;
  fetch?: typeof fetch;
}

/** The factory on the local store (one folder per user key). */
export function localUserRuntimes(config: Config, o: LocalUserRuntimeOptions): UserRuntimeFactory {
  const secret = config.http?.stateSecret;
  if (!secret) throw new Error('Remote mode needs OUTLOOK_STATE_SECRET.');
  return async (userKey) => {
    const runtime = await startRuntime(configForUser(config, userKey), {
      tokens: callerTokens(o.exchange, userKey),
      logger: o.logger,
      approvalKey: approvalKeyOf(secret, userKey),
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    return { deps: runtime.deps, tools: runtime.tools, close: () => runtime.close() };
  };
}

/** Runtimes of recent users, built once each (concurrent first calls share one build), least recently used closed first. */
export class UserRuntimes {
  private readonly live = new Map<string, Promise<UserRuntime>>();

  constructor(
    private readonly factory: UserRuntimeFactory,
    private readonly maxUsers = 500,
  ) {}

  get(userKey: string): Promise<UserRuntime> {
    let p = this.live.get(userKey);
    if (p) {
      this.live.delete(userKey);
      this.live.set(userKey, p);
      return p;
    }
    p = this.factory(userKey);
    this.live.set(userKey, p);
    // A failed build is not kept: the next request tries again.
    p.catch(() => {
      if (this.live.get(userKey) === p) this.live.delete(userKey);
    });
    while (this.live.size > this.maxUsers) {
      const [oldest, runtime] = this.live.entries().next().value as [string, Promise<UserRuntime>];
      this.live.delete(oldest);
      void runtime.then((r) => r.close()).catch(() => undefined);
    }
    return p;
  }

  /** The runtime of `userKey` if it is built or being built, without building it or touching its recency. */
  peek(userKey: string): Promise<UserRuntime> | undefined {
    return this.live.get(userKey);
  }

  get size(): number {
    return this.live.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
}
