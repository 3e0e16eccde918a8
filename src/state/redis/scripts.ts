/**
 * The Redis adapter's atomic operations, one Lua file each in `./lua/` (BullMQ's shape): read once when
 * the connection opens, registered with node-redis by name, and called with their keys passed explicitly
 * (every key of one call shares the namespace's hash tag, so a cluster keeps them on one slot). node-redis
 * sends EVALSHA and falls back to EVAL when the server does not know the script yet (a restart, a
 * failover), which also loads it there.
 *
 * Helpers shared by several scripts live in `./lua/include/` and are pasted in where a script says
 * `-- @include <name>` (Redis runs each script as one self-contained chunk).
 *
 * The files stay real `.lua` files (readable, diffable, no escaping) and are copied beside the built
 * JavaScript by the build (scripts/bundle.mjs), so the same relative URL finds them from `src/`, from
 * `dist/state/redis/` and from the bundle in `dist/bin/`.
 */
import { readFile } from 'node:fs/promises';
import { defineScript, type CommandParser, type RedisScripts } from '@redis/client';

/** Every script, by the name the adapter calls it with (= its file name without `.lua`). */
export const SCRIPT_NAMES = [
  'approval-open',
  'approval-consume',
  'approval-release',
  'approval-inspect',
  'approval-begin-write',
  'approval-end-write',
  'draft-touch',
  'handles-assign',
  'handle-lookup',
  'handles-expire',
  'cursor-issue',
  'cursors-purge',
  'delta-save',
  'delta-forget',
  'download-record',
  'download-find',
  'download-forget',
  'downloads-evict',
  'gate-acquire',
  'gate-enter',
  'gate-renew',
  'gate-release',
  'pause-extend',
  'rate-take',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** Where the `.lua` files sit relative to the module that reads them (source and build alike). */
export const LUA_DIR = new URL('./lua/', import.meta.url);

/** Reads every script file and defines it for node-redis (keys and arguments passed per call). */
export async function loadScripts(): Promise<RedisScripts> {
  const entries = await Promise.all(
    SCRIPT_NAMES.map(async (name) => {
      const source = await withIncludes(await readLua(`${name}.lua`));
      const script = defineScript({
        SCRIPT: source,
        parseCommand(parser: CommandParser, keys: readonly string[], args: readonly string[]) {
          parser.pushKeysLength([...keys]);
          parser.push(...args);
        },
        transformReply: (reply: unknown) => reply as never,
      });
      return [name, script] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function readLua(file: string): Promise<string> {
  try {
    return await readFile(new URL(file, LUA_DIR), 'utf8');
  } catch (err) {
    throw new Error(`The Redis script ${file} is missing beside the server's code (${(err as Error).message}); the installation is incomplete: reinstall the package or run npm run build.`, { cause: err });
  }
}

const INCLUDE_RE = /^-- @include ([a-z-]+)$/gm;

/** The script with each `-- @include name` line replaced by `include/name.lua`. */
async function withIncludes(source: string): Promise<string> {
  const names = [...new Set([...source.matchAll(INCLUDE_RE)].map((m) => m[1]!))];
  const bodies = new Map(await Promise.all(names.map(async (n) => [n, await readLua(`include/${n}.lua`)] as const)));
  return source.replace(INCLUDE_RE, (_, n: string) => bodies.get(n)!);
}
