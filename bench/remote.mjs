#!/usr/bin/env node
/**
 * Remote mode's cost (issue 19), one run, interleaved: `ol_email_list_unread` (limit 10)
 *   A. in-process (the server in this process, in-memory MCP transport, sandbox Graph),
 *   B. 1 replica of the built binary over HTTP (OBO, embedded state),
 *   C. 3 replicas + haproxy (round robin) + redis-server (OUTLOOK_STATE_STORE=redis),
 * and, in the latency rounds only, B+R (1 replica on Redis, no load balancer) and one hop of each kind
 * (a Redis PING, an HTTP request straight to a replica and through haproxy), which split C's cost,
 * each round calling A, B, C in turn so machine load hits all three alike. Reports p50/p99 latency and
 * the overhead against A, then throughput with 10 and 50 people calling at once, with the machine's load
 * average beside each phase (the machine is shared: the numbers mean little without it).
 * Every setup runs as deployed: the rate limit counted on every call (C; its limit set above what the
 * bench's one person makes, so it never trips), Redis with `appendonly yes` and
 * `appendfsync always` (the production setting of docs/REDIS.md).
 * Needs `npm run build`, redis-server and haproxy on PATH. Everything runs on loopback and is stopped at the end.
 * Where one call's time goes, stage by stage: bench/remote-profile.mjs.
 *
 * Usage: node bench/remote.mjs [--rounds 300] [--warmup 200] [--calls-per-user 10] [--append docs/BENCHMARKS.md]
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createClient } from '@redis/client';
import { freePort, replicaEnv, startChild, waitHttp } from './processes.mjs';
import { loadServerModules } from './tasks.mjs';
import { benchFlags, percentile } from './cli.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = (p) => path.join(root, 'dist', p);
const BIN = dist('bin/main.js');
const flags = benchFlags('node bench/remote.mjs [--rounds 300] [--warmup 200] [--calls-per-user 10] [--append docs/BENCHMARKS.md]', {
  rounds: { default: 300, number: true },
  // Calls each server process serves before the timed rounds.
  warmup: { default: 200, number: true },
  'calls-per-user': { default: 10, number: true },
  append: {},
});
const { rounds: ROUNDS, warmup: WARMUP, callsPerUser: PER_USER, append: APPEND } = flags;
const log = (s) => process.stderr.write(s + '\n');
const f1 = (n) => n.toFixed(1);
const load = () => os.loadavg()[0].toFixed(1);

const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-bench-remote-'));
const children = [];
const closers = [];

const start = (cmd, argv, env) => startChild(children, cmd, argv, env);

try {
  const { startSandbox, loadConfig, startRuntime, createServerFactory, connectInProcess, Logger } = await loadServerModules(dist);
  const team = await startSandbox({ team: { users: 50 } });
  closers.push(() => team.close());
  const t = team.identity.team;
  const users = t.users.map((u) => u.name);

  // A: in-process, its own plain sandbox (same seeded mailbox).
  const plain = await startSandbox();
  closers.push(() => plain.close());
  const config = loadConfig({ OUTLOOK_SANDBOX: 'true', OUTLOOK_CACHE_DIR: path.join(dir, 'inproc'), OUTLOOK_TIMEZONE: 'Europe/Berlin' });
  const runtime = await startRuntime(config, { sandboxInstance: plain, logger: new Logger('silent') });
  closers.push(() => runtime.close());
  const factory = createServerFactory(runtime.deps, runtime.tools);
  const inProcClient = async () => {
    const s = await connectInProcess(factory, 'bench');
    closers.push(() => s.close());
    return s.client;
  };

  // Redis for C.
  const redisPort = await freePort();
  const redis = start('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], process.env);
  await new Promise((r) => setTimeout(r, 300));
  if (redis.exitCode !== null) throw new Error('redis-server did not start');
  const redisVersion = /v=([\d.]+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';

  const baseEnv = (publicUrl) => replicaEnv(team, dir, publicUrl);
  // B: one replica, embedded state.
  const bPort = await freePort();
  const b = start(process.execPath, [BIN, 'serve', '--http', '--port', String(bPort)], { ...baseEnv(`http://127.0.0.1:${bPort}`), OUTLOOK_CACHE_DIR: path.join(dir, 'b') });
  // B+R (latency only, to split C's cost): one replica with its state, OBO cache and rate limit in Redis, no load balancer.
  const brPort = await freePort();
  // The rate limit is counted on every call (its cost is measured) but set above what one bench person makes.
  const redisEnv = { OUTLOOK_STATE_STORE: 'redis', OUTLOOK_REDIS_URL: `redis://127.0.0.1:${redisPort}`, OUTLOOK_RATE_LIMIT_PER_MINUTE: '1000000' };
  const br = start(process.execPath, [BIN, 'serve', '--http', '--port', String(brPort)], { ...baseEnv(`http://127.0.0.1:${brPort}`), ...redisEnv, OUTLOOK_CACHE_DIR: path.join(dir, 'br') });
  // C: three replicas on Redis behind haproxy.
  const lbPort = await freePort();
  const cPorts = [await freePort(), await freePort(), await freePort()];
  const cs = cPorts.map((p, i) =>
    start(process.execPath, [BIN, 'serve', '--http', '--port', String(p)], { ...baseEnv(`http://127.0.0.1:${lbPort}`), ...redisEnv, OUTLOOK_CACHE_DIR: path.join(dir, `c${i}`) }),
  );
  await waitHttp(`http://127.0.0.1:${bPort}/healthz`, b, 'replica B');
  await waitHttp(`http://127.0.0.1:${brPort}/healthz`, br, 'replica B+R');
  await Promise.all(cs.map((c, i) => waitHttp(`http://127.0.0.1:${cPorts[i]}/healthz`, c, `replica C${i}`)));
  const cfg = path.join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    ['defaults', '  mode http', '  timeout connect 2s', '  timeout client 30s', '  timeout server 30s', 'frontend mcp', `  bind 127.0.0.1:${lbPort}`, '  default_backend r', 'backend r', '  balance roundrobin', '  http-reuse always', ...cPorts.map((p, i) => `  server c${i} 127.0.0.1:${p}`), ''].join('\n'),
  );
  const lb = start('haproxy', ['-db', '-f', cfg], process.env);
  await waitHttp(`http://127.0.0.1:${lbPort}/healthz`, lb, 'haproxy');

  const tokens = new Map();
  const tokenOf = async (u) => tokens.get(u) ?? tokens.set(u, await t.issueApiToken(u)).get(u);
  const httpClient = async (url, user) => {
    const c = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${await tokenOf(user)}` } } }));
    closers.push(() => c.close());
    return c;
  };
  const setups = {
    'in-process': (user) => inProcClient(user),
    '1 replica (HTTP, OBO)': (user) => httpClient(`http://127.0.0.1:${bPort}/mcp`, user),
    '3 replicas + haproxy + Redis': (user) => httpClient(`http://127.0.0.1:${lbPort}/mcp`, user),
  };
  // Only in the latency rounds: what C adds over B, split in two.
  const diagnostic = { '1 replica + Redis, no load balancer': (user) => httpClient(`http://127.0.0.1:${brPort}/mcp`, user) };
  // One hop of each kind, timed in the same rounds (same load): what a call pays per Redis round trip and per proxy hop.
  const probeRedis = createClient({ url: `redis://127.0.0.1:${redisPort}` });
  await probeRedis.connect();
  closers.push(() => probeRedis.close());
  const probes = {
    'Redis PING (bench process → redis-server → back)': () => probeRedis.ping(),
    'HTTP GET /healthz, straight to a replica': () => fetch(`http://127.0.0.1:${bPort}/healthz`).then((r) => r.arrayBuffer()),
    'HTTP GET /healthz, through haproxy': () => fetch(`http://127.0.0.1:${lbPort}/healthz`).then((r) => r.arrayBuffer()),
  };
  const call = async (client) => {
    const r = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 10 } });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };

  // Latency, interleaved: one person per setup, warmed up first: the OBO exchange and first runtime build, and
  // WARMUP calls per server process (the 3 replicas share the load balancer's calls), so every process runs code
  // V8 has optimised, as a deployment's replicas do after their first minutes; a replica that has served 3 calls
  // is still interpreting most of the path.
  const single = {};
  const latencySetups = { ...setups, ...diagnostic };
  for (const [name, make] of Object.entries(latencySetups)) {
    single[name] = await make(users[0]);
    const processes = name.startsWith('3 replicas') ? 3 : 1;
    for (let i = 0; i < WARMUP * processes; i++) await call(single[name]);
  }
  const lat = Object.fromEntries(Object.keys(latencySetups).map((n) => [n, []]));
  const hop = Object.fromEntries(Object.keys(probes).map((n) => [n, []]));
  const latLoad = [load()];
  for (let r = 0; r < ROUNDS; r++) {
    if (r === Math.floor(ROUNDS / 2)) latLoad.push(load());
    for (const n of Object.keys(latencySetups)) {
      const t0 = performance.now();
      await call(single[n]);
      lat[n].push(performance.now() - t0);
    }
    for (const [n, probe] of Object.entries(probes)) {
      const t0 = performance.now();
      await probe();
      hop[n].push(performance.now() - t0);
    }
  }
  latLoad.push(load());
  const base = { p50: percentile(lat['in-process'], 50), p99: percentile(lat['in-process'], 99) };
  const latRows = Object.entries(lat).map(([n, xs]) => {
    const p50 = percentile(xs, 50);
    const p99 = percentile(xs, 99);
    const over = (d) => (n === 'in-process' ? '—' : `${d >= 0 ? '+' : '−'}${f1(Math.abs(d))}`);
    return `| ${n} | ${f1(p50)} | ${f1(p99)} | ${over(p50 - base.p50)} | ${over(p99 - base.p99)} |`;
  });

  const hopRows = Object.entries(hop).map(([n, xs]) => `| ${n} | ${f1(percentile(xs, 50))} | ${f1(percentile(xs, 99))} |`);
  log(latRows.join('\n'));
  // Throughput: N people at once, PER_USER calls each, setups one after another (each warmed up above).
  const thrRows = [];
  for (const n of [10, 50]) {
    const cells = [];
    const loads = [];
    for (const [name, make] of Object.entries(setups)) {
      const clients = await Promise.all(users.slice(0, n).map((u) => make(u)));
      await Promise.all(clients.map((c) => call(c)));
      const t0 = performance.now();
      let failed = 0;
      // A failed call is counted and reported, not thrown: under load it is part of the result.
      await Promise.all(clients.map(async (c) => {
        for (let i = 0; i < PER_USER; i++) await call(c).catch(() => failed++);
      }));
      const secs = (performance.now() - t0) / 1000;
      loads.push(load());
      cells.push(`${f1((n * PER_USER - failed) / secs)}${failed ? ` (${failed} failed)` : ''}`);
      log(`throughput ${name} x${n}: ${f1((n * PER_USER) / secs)} calls/s`);
    }
    thrRows.push(`| ${n} people | ${cells.join(' | ')} | ${loads.join(' / ')} |`);
  }

  const out = [
    '',
    `## Remote mode (bench/remote.mjs, ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.versions.node}, Redis ${redisVersion} with appendonly yes + appendfsync always)`,
    '',
    `\`ol_email_list_unread\` (limit 10), ${ROUNDS} interleaved rounds, one person, ms (targets: p50 overhead ≤ +6 ms, p99 ≤ +25 ms); 1-minute load average at the start, middle and end of the rounds: ${latLoad.join(' / ')}:`,
    '',
    '| setup | p50 | p99 | p50 overhead | p99 overhead |',
    '|---|---|---|---|---|',
    ...latRows,
    '',
    'One hop of each kind, timed in the same rounds, ms:',
    '',
    '| hop | p50 | p99 |',
    '|---|---|---|',
    ...hopRows,
    '',
    `Throughput, calls/s, each person making ${PER_USER} calls one after another, all people at once:`,
    '',
    `| | ${Object.keys(setups).join(' | ')} | load average (each setup's run) |`,
    '|---|---|---|---|---|',
    ...thrRows,
    '',
  ].join('\n');
  process.stdout.write(out + '\n');
  if (APPEND) appendFileSync(path.resolve(root, APPEND), out);
} finally {
  for (const c of closers.reverse()) await Promise.resolve().then(c).catch(() => undefined);
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
