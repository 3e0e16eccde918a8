/**
 * A private `redis-server` (Debian package `redis-server`) for the Redis adapter's tests: its own
 * loopback port (found free, never fixed), its own temp folder, no persistence unless asked, and
 * control over its life (stop, kill -9, freeze, restart on the same port) so tests can take Redis
 * away in the middle of a call and bring it back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { missingPrograms } from './keyring-session.js';

export const REDIS_SERVER_BIN = 'redis-server';

/** Whether `redis-server` is on PATH; under CI=true its absence is an error (the test must not skip). */
export function redisServerAvailable(): boolean {
  const available = missingPrograms([REDIS_SERVER_BIN]).length === 0;
  if (!available && ['true', '1'].includes(process.env.CI ?? '')) {
    throw new Error(`The Redis adapter tests need ${REDIS_SERVER_BIN} on PATH and CI=true forbids skipping them. Install it with: apt-get install -y --no-install-recommends redis-server`);
  }
  if (!available) console.warn(`[redis] ${REDIS_SERVER_BIN} not found on PATH: the Redis adapter tests are skipped here (CI fails instead of skipping).`);
  return available;
}

export interface RedisServerOptions {
  /** Append-only file with fsync on every write, so a restart keeps the data. Default: nothing on disk. */
  persistence?: boolean;
  /** `requirepass`: clients must authenticate. */
  password?: string;
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (with the password, if any). */
  readonly url: string;
  /** The server's working folder (AOF files when persistent). */
  readonly dir: string;
  /** Whether the process is running (a frozen one counts as running). */
  readonly running: boolean;
  /** Graceful stop (SIGTERM); resolves when the process has exited. */
  stop(): Promise<void>;
  /** kill -9; resolves when the process has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the port stays open but nothing is answered, as with a hung server or a network black hole. */
  freeze(): void;
  /** SIGCONT after {@link freeze}. */
  thaw(): void;
  /** Starts it again on the same port (and folder) after stop/kill. */
  start(): Promise<void>;
  /** Stops it (if running) and removes its folder. */
  close(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns redis-server and resolves once it accepts connections; rejects with its output if it exits first. */
function spawnRedis(port: number, dir: string, opts: RedisServerOptions): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', '--loglevel', 'notice', '--logfile', '', '--save', ''];
  args.push(...(opts.persistence ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  if (opts.password !== undefined) args.push('--requirepass', opts.password);
  const child = spawn(REDIS_SERVER_BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} did not become ready within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        // Later output is not needed, but the pipes must keep draining or the server blocks on a full pipe.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

/** Starts a private redis-server on a free loopback port. */
export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redis-test-'));
  let child: ChildProcess | undefined;
  let port = 0;
  // The port found free may be taken by someone else before redis-server binds it: try another.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await spawnRedis(port, dir, opts);
    } catch (err) {
      if (attempt >= 5 || !/Address already in use/i.test(String(err))) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const auth = opts.password !== undefined ? `:${encodeURIComponent(opts.password)}@` : '';
  const signal = async (sig: NodeJS.Signals) => {
    const c = child;
    if (!c) return;
    child = undefined;
    // A frozen process ignores SIGTERM until it runs again.
    c.kill('SIGCONT');
    c.kill(sig);
    await exited(c);
  };
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    dir,
    get running() {
      return child !== undefined;
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async start() {
      if (child) throw new Error(`redis-server on port ${port} is already running`);
      child = await spawnRedis(port, dir, opts);
    },
    async close() {
      await signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
