/**
 * A whole remote deployment on loopback, every part started here and stopped on close: a private
 * `redis-server`, the team sandbox (Entra + Graph for N people, in this process so its logs can be read),
 * R replicas of the built binary (`serve --http`, child processes, state in Redis) and the real `haproxy`
 * (Debian package) balancing round robin in front of them. The load balancer adds `x-replica: <name>` to
 * every response so a test can tell which replica served a call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox, type TeamIdentity } from '../../src/sandbox/index.js';
import { toolCallers } from './harness.js';
import { missingPrograms } from './keyring-session.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { eraOptions, freePort, remoteEnv, type Era } from './remote-harness.js';

export const BIN = path.resolve('dist/bin/main.js');
export const STATE_SECRET = 'cluster-test-state-secret-0123456789abcdef';
/** haproxy's `timeout server` here (docs/REMOTE.md documents the same): replicas keep idle connections open longer. */
export const HAPROXY_TIMEOUT_SERVER_S = 30;

/** Whether redis-server and haproxy are on PATH; under CI=true their absence is an error, not a skip. */
export function clusterAvailable(): boolean {
  const missing = missingPrograms(['redis-server', 'haproxy']);
  if (missing.length && ['true', '1'].includes(process.env.CI ?? '')) {
    throw new Error(`The multi-replica tests need ${missing.join(' and ')} on PATH and CI=true forbids skipping them. Install with: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  if (missing.length) console.warn(`[cluster] ${missing.join(', ')} not found: the multi-replica tests are skipped here (CI fails instead).`);
  return missing.length === 0;
}

export interface Replica {
  readonly name: string;
  readonly port: number;
  child: ChildProcess | undefined;
  output: string;
}

export interface Cluster {
  redis: RedisServer;
  sandbox: Sandbox;
  team: TeamIdentity;
  replicas: Replica[];
  /** The load balancer's origin: the public URL every replica is configured with. */
  origin: string;
  mcpUrl: URL;
  /** Which replica served each response (from the `x-replica` header), in order. */
  servedBy: string[];
  /** An SDK client through the load balancer as `user`; `served` collects the replicas that answered it. */
  connectAs(user: string, era?: Era, extra?: ConstructorParameters<typeof Client>[1]): Promise<Client & ReturnType<typeof toolCallers> & { served: Set<string> }>;
  /** Each replica's state and last stderr lines, for a failing test's message. */
  describe(): string;
  /** kill -9 of one replica (haproxy's health check takes it out of the rotation). */
  kill(name: string): Promise<void>;
  /** Starts a killed replica again on its port, and waits until the load balancer routes to it. */
  restart(name: string): Promise<void>;
  close(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((r) => c.once('exit', () => r()));
}

/** Starts `serve --http` of the built binary as `r` on `r.port` and resolves once its /healthz answers. */
export async function launchReplica(r: Replica, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', String(r.port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  r.child = child;
  r.output = '';
  child.stderr?.on('data', (d: Buffer) => {
    r.output = (r.output + d.toString()).slice(-20_000);
  });
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`replica ${r.name} exited: ${r.output}`);
    return (await fetch(`http://127.0.0.1:${r.port}/healthz`)).ok;
  }, `replica ${r.name}`, 60_000);
}

/** Stops a replica started by {@link launchReplica} (kill -9) and waits for its exit. */
export async function stopReplica(r: Replica): Promise<void> {
  const c = r.child;
  r.child = undefined;
  c?.kill('SIGKILL');
  if (c) await exited(c);
}

export interface ClusterOptions {
  users?: number;
  replicas?: number;
  env?: Record<string, string>;
  /** haproxy `balance` algorithm and extra backend lines (e.g. session affinity). */
  backend?: string[];
}

export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-cluster-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const redis = await startRedisServer({ persistence: true });
    cleanups.push(() => redis.close());
    const sandbox = await startSandbox({ team: { users: o.users ?? 3 } });
    cleanups.push(() => sandbox.close().catch(() => undefined));
    const team = sandbox.identity?.team as TeamIdentity;
    const lbPort = await freePort();
    const origin = `http://127.0.0.1:${lbPort}`;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      ...remoteEnv(sandbox, team, origin),
      OUTLOOK_LOG_LEVEL: 'warn',
      OUTLOOK_STATE_SECRET: STATE_SECRET,
      OUTLOOK_STATE_STORE: 'redis',
      OUTLOOK_REDIS_URL: redis.url,
      ...o.env,
    };
    const replicas: Replica[] = [];
    for (let i = 0; i < (o.replicas ?? 3); i++) replicas.push({ name: `r${i + 1}`, port: await freePort(), child: undefined, output: '' });
    // Each replica its own cache folder (downloads, audit), as on separate machines.
    const launch = (r: Replica) => launchReplica(r, { ...env, OUTLOOK_CACHE_DIR: path.join(dir, r.name) });
    cleanups.push(async () => {
      for (const r of replicas) r.child?.kill('SIGKILL');
      await Promise.all(replicas.map((r) => (r.child ? exited(r.child) : undefined)));
    });
    await Promise.all(replicas.map(launch));

    const cfg = [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 30s',
      `  timeout server ${HAPROXY_TIMEOUT_SERVER_S}s`,
      // Generous: on a loaded 2-core CI machine a replica can take a second to answer a probe.
      '  timeout check 5s',
      '  option redispatch',
      '  retries 2',
      'frontend mcp',
      `  bind 127.0.0.1:${lbPort}`,
      '  default_backend replicas',
      'backend replicas',
      ...(o.backend ?? ['  balance roundrobin']),
      '  option httpchk GET /healthz',
      '  http-check send hdr Host 127.0.0.1',
      '  http-response set-header x-replica %s',
      ...replicas.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check inter 300ms fall 2 rise 1`),
      '',
    ].join('\n');
    const cfgPath = path.join(dir, 'haproxy.cfg');
    writeFileSync(cfgPath, cfg);
    const haproxy = spawn('haproxy', ['-db', '-f', cfgPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let hout = '';
    haproxy.stderr?.on('data', (d: Buffer) => (hout += d.toString()));
    cleanups.push(async () => {
      haproxy.kill('SIGKILL');
      await exited(haproxy);
    });
    await waitFor(async () => {
      if (haproxy.exitCode !== null) throw new Error(`haproxy exited: ${hout}`);
      return (await fetch(`${origin}/healthz`)).ok;
    }, 'haproxy');

    const servedBy: string[] = [];
    const clients: Client[] = [];
    const mcpUrl = new URL('/mcp', origin);
    const cluster: Cluster = {
      redis,
      sandbox,
      team,
      replicas,
      origin,
      mcpUrl,
      servedBy,
      async connectAs(user, era = 'legacy', extra) {
        const token = await team.issueApiToken(user);
        const served = new Set<string>();
        const tracking: typeof fetch = async (input, init) => {
          const res = await fetch(input, init);
          const r = res.headers.get('x-replica');
          if (r) {
            served.add(r);
            servedBy.push(r);
          }
          return res;
        };
        const client = new Client({ name: `cluster-${user}`, version: '1.0.0' }, { ...eraOptions(era), ...extra });
        await client.connect(new StreamableHTTPClientTransport(mcpUrl, { fetch: tracking, requestInit: { headers: { authorization: `Bearer ${token}` } } }));
        clients.push(client);
        return Object.assign(client, toolCallers(client), { served });
      },
      describe() {
        return replicas.map((r) => `${r.name}: ${r.child ? (r.child.exitCode ?? r.child.signalCode ?? 'running') : 'stopped'}\n${r.output.slice(-1500)}`).join('\n');
      },
      async kill(name) {
        await stopReplica(replicas.find((x) => x.name === name)!);
      },
      async restart(name) {
        await launch(replicas.find((x) => x.name === name)!);
        // Back in the load balancer's rotation only once its health checks pass again: until a request through
        // haproxy lands on it, a test that needs every replica would see two.
        await waitFor(async () => (await fetch(`${origin}/healthz`)).headers.get('x-replica') === name, `haproxy routing to ${name} again`);
      },
      async close() {
        await Promise.allSettled(clients.map((c) => c.close()));
        for (const f of cleanups.reverse()) await f();
      },
    };
    cleanups.push(() => Promise.allSettled(clients.map((c) => c.close())));
    return cluster;
  } catch (err) {
    for (const f of cleanups.reverse()) await Promise.resolve(f()).catch(() => undefined);
    throw err;
  }
}
