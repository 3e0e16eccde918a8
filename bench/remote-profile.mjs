#!/usr/bin/env node
/**
 * Where one remote call's time goes (issue 19), measured from the outside so nothing in the server is
 * changed to measure it: one replica of the built binary (`serve --http`, OBO, state in Redis, rate limit
 * on) serves `ol_email_list_unread` (limit 10) to one person, and three independent clocks of this machine
 * timestamp each call:
 *   - this process, around the client's call (start, end);
 *   - Redis `MONITOR` (every command the replica sends, with its server time);
 *   - a loopback proxy in front of the sandbox (each Graph and Entra request in and out).
 * The stages between those marks are reported as medians over the calls, with the Redis commands per call
 * (from `INFO commandstats`) and, with `--cpu-prof`, the replica's CPU time by component (V8's profiler).
 *
 * Usage: node bench/remote-profile.mjs [--calls 200] [--fsync always|everysec] [--cpu-prof [--save-profile file.cpuprofile]]
 * Needs `npm run build` and redis-server on PATH.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { freePort, replicaEnv, startChild, waitHttp } from './processes.mjs';
import { loadServerModules } from './tasks.mjs';
import { benchFlags, median } from './cli.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = (p) => path.join(root, 'dist', p);
const flags = benchFlags('node bench/remote-profile.mjs [--calls 200] [--fsync always|everysec] [--cpu-prof [--save-profile file.cpuprofile]]', {
  calls: { default: 200, number: true },
  fsync: { default: 'always' },
  'cpu-prof': { boolean: true },
  'save-profile': {},
});
const { calls: CALLS, fsync: FSYNC, cpuProf: CPU_PROF, saveProfile: SAVE_PROFILE } = flags;
const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—');
/** Wall clock in µs since the epoch, comparable with Redis MONITOR's timestamps. */
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-bench-profile-'));
const children = [];
const closers = [];
const start = (cmd, argv, env = process.env) => startChild(children, cmd, argv, env, { stderr: true });

/** A loopback proxy that forwards to `target` and records [kind, path, inUs, outUs] per request. */
async function timingProxy(target, marks) {
  const t = new URL(target);
  const server = http.createServer((req, res) => {
    const inUs = nowUs();
    const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
      ur.on('end', () => marks.push({ kind: /oauth2|discovery|openid/.test(req.url ?? '') ? 'entra' : 'graph', path: req.url, inUs, outUs: nowUs() }));
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}`;
}

/**
 * Redis MONITOR on its own connection: one entry per round trip the replica makes ({us, what}), a script's
 * inner commands and a MULTI's queued ones folded into the call that carried them.
 */
async function monitor(port, trips, scriptNames) {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write('MONITOR\r\n');
  let buf = '';
  let inMulti = false;
  sock.on('data', (d) => {
    buf += d.toString('utf8');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const m = /^\+(\d+)\.(\d+) \[([^\]]*)\] "([^"]+)"(?: "([^"]*)")?/.exec(line);
      if (!m || m[3].includes('lua')) continue;
      const us = Number(m[1]) * 1e6 + Number(m[2]);
      const cmd = m[4].toLowerCase();
      const arg = m[5] ?? '';
      if (cmd === 'exec') inMulti = false;
      if (inMulti || cmd === 'exec') continue;
      if (cmd === 'multi') inMulti = true;
      const what =
        cmd === 'multi' ? 'MULTI (rate limit)'
        : cmd === 'evalsha' || cmd === 'eval' ? `script ${scriptNames.get(arg) ?? arg.slice(0, 8)}`
        : cmd === 'get' && arg.startsWith('outlook:obo:') ? 'GET OBO cache'
        : cmd === 'get' && arg.includes(':pause:') ? 'GET pause'
        : `${cmd.toUpperCase()} ${arg.replace(/\{[^}]*\}/, '{…}').slice(0, 30)}`;
      trips.push({ us, what });
    }
  });
  closers.push(() => sock.destroy());
}

function redisCli(port, ...argv) {
  return new Promise((resolve, reject) => {
    const c = spawn('redis-cli', ['-p', String(port), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`redis-cli ${argv.join(' ')}: ${code}`))));
  });
}

/**
 * Self time of a V8 .cpuprofile inside [fromUs, toUs] (epoch µs; `endUs` is when the process ended) by
 * component (our code, each package, Node internals, GC), and the busiest functions.
 */
function cpuProfile(file, endUs, fromUs, toUs) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let at = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    at += prof.timeDeltas[i] ?? 0;
    const epoch = endUs - (prof.endTime - at);
    if (epoch < fromUs || epoch > toUs) continue;
    // A sample's weight is the time since the previous one.
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const buckets = new Map();
  const fns = new Map();
  for (const [id, us] of self) {
    const { url, functionName, lineNumber } = byId.get(id).callFrame;
    let b;
    if (functionName === '(idle)') b = '(idle)';
    else if (functionName === '(garbage collector)') b = '(garbage collector)';
    else if (functionName === '(program)') b = '(program: V8/native)';
    else if (!url) b = `native: ${functionName || 'anonymous'}`.slice(0, 40);
    else if (url.startsWith('node:')) b = `node:${url.slice(5).split('/')[0]}`;
    else if (url.includes('/node_modules/')) {
      const rest = url.split('/node_modules/').pop().split('/');
      b = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    } else b = 'ours (dist/bin bundle)';
    buckets.set(b, (buckets.get(b) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`;
    if (b !== '(idle)') fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const sort = (m) => [...m.entries()].sort((x, y) => y[1] - x[1]);
  return { buckets: sort(buckets), fns: sort(fns) };
}

try {
  const { startSandbox } = await loadServerModules(dist);
  const team = await startSandbox({ team: { users: 3 } });
  closers.push(() => team.close());
  const t = team.identity.team;
  const marks = [];
  const graphProxy = await timingProxy(team.origin, marks);
  const graphPath = new URL(team.url).pathname;

  const redisPort = await freePort();
  start('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', FSYNC, '--dir', dir]);
  await new Promise((r) => setTimeout(r, 300));

  const port = await freePort();
  const profDir = path.join(dir, 'prof');
  const replica = start(process.execPath, [...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), dist('bin/main.js'), 'serve', '--http', '--port', String(port)], {
    ...replicaEnv(team, dir, `http://127.0.0.1:${port}`, `${graphProxy}${graphPath}`),
    OUTLOOK_STATE_STORE: 'redis', OUTLOOK_RATE_LIMIT_PER_MINUTE: '1000000',
    OUTLOOK_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    OUTLOOK_CACHE_DIR: path.join(dir, 'cache'),
  });
  await waitHttp(`http://127.0.0.1:${port}/healthz`, replica, 'the replica');

  const token = await t.issueApiToken(t.users[0].name);
  const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  closers.push(() => client.close());
  const call = async () => {
    const r = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 10 } });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  for (let i = 0; i < 20; i++) await call();

  await redisCli(redisPort, 'CONFIG', 'RESETSTAT');
  const calls = [];
  for (let i = 0; i < CALLS; i++) {
    const s = nowUs();
    await call();
    calls.push({ s, e: nowUs() });
  }
  const stats = await redisCli(redisPort, 'INFO', 'commandstats');

  // A second pass with MONITOR on (it slows Redis a little): the timeline of each call.
  const { loadScripts, SCRIPT_NAMES } = await import(dist('state/redis/scripts.js'));
  const defined = await loadScripts();
  const scriptNames = new Map(SCRIPT_NAMES.map((n) => [defined[n].SHA1, n]));
  const trips = [];
  await monitor(redisPort, trips, scriptNames);
  await new Promise((r) => setTimeout(r, 100));
  marks.length = 0;
  const tcalls = [];
  for (let i = 0; i < CALLS; i++) {
    const s = nowUs();
    await call();
    tcalls.push({ s, e: nowUs() });
  }
  await new Promise((r) => setTimeout(r, 100));

  // The waterfall: every call's marks in time order; calls whose sequence differs from the most common one are left out.
  const sequences = tcalls.map((c) =>
    [
      { us: c.s, what: 'client sends the call' },
      ...trips.filter((l) => l.us > c.s && l.us < c.e).map((l) => ({ us: l.us, what: `Redis: ${l.what}` })),
      ...marks.filter((m) => m.inUs > c.s && m.outUs < c.e && m.kind === 'graph').flatMap((m) => [{ us: m.inUs, what: 'Graph request arrives' }, { us: m.outUs, what: 'Graph response sent' }]),
      { us: c.e, what: 'client has the result' },
    ].sort((x, y) => x.us - y.us),
  );
  const key = (seq) => seq.map((m) => m.what).join('|');
  const counts = new Map();
  for (const seq of sequences) counts.set(key(seq), (counts.get(key(seq)) ?? 0) + 1);
  const common = [...counts.entries()].sort((x, y) => y[1] - x[1])[0][0];
  const used = sequences.filter((seq) => key(seq) === common);
  const steps = used[0].slice(1).map((m, i) => ({ what: `${used[0][i].what} → ${m.what}`, ms: used.map((seq) => (seq[i + 1].us - seq[i].us) / 1000) }));
  const whole = used.map((seq) => (seq.at(-1).us - seq[0].us) / 1000);

  const out = [
    '',
    `### One remote call, stage by stage (bench/remote-profile.mjs, ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}, Node ${process.versions.node}, Redis appendfsync ${FSYNC})`,
    '',
    `1 replica, state in Redis, rate limit on, \`ol_email_list_unread\` (limit 10), ${CALLS} calls one after another; medians in ms (stages need not add up: each is its own median).`,
    '',
    `Waterfall of one call (${used.length} of ${CALLS} calls had the usual sequence); each row is the median time from one mark to the next, so it includes the replica's work in between and, after a write, the Redis fsync:`,
    '',
    '| from → to | median ms |',
    '|---|---|',
    ...steps.map((st) => `| ${st.what} | ${f2(median(st.ms))} |`),
    `| **whole call** (median of the sums) | **${f2(median(whole))}** |`,
    '',
    '',
    '| Redis command | per call | µs each (server side) |',
    '|---|---|---|',
    ...stats
      .split('\n')
      .map((l) => /^cmdstat_([^:]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/.exec(l.trim()))
      .filter((m) => m && !['config', 'info', 'monitor'].includes(m[1]))
      .map((m) => `| ${m[1]} | ${f2(Number(m[2]) / CALLS)} | ${f2(Number(m[4]))} |`),
    '',
  ];

  if (CPU_PROF) {
    replica.kill('SIGTERM');
    await new Promise((r) => replica.once('exit', r));
    const endUs = nowUs();
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      if (SAVE_PROFILE) copyFileSync(path.join(profDir, file), path.resolve(SAVE_PROFILE));
      // Only the calls of the first (unmonitored) pass.
      const { buckets, fns } = cpuProfile(path.join(profDir, file), endUs, calls[0].s, calls.at(-1).e);
      const busy = buckets.filter(([b]) => b !== '(idle)').reduce((a, [, us]) => a + us, 0);
      const idle = buckets.find(([b]) => b === '(idle)')?.[1] ?? 0;
      out.push(
        `Replica CPU during the ${CALLS} unmonitored calls (V8 sampling profiler): busy ${f2(busy / 1000 / CALLS)} ms per call, idle ${f2(idle / 1000 / CALLS)} ms per call (waiting on Redis, Graph, the client). On a loaded machine a sample also counts time the process waited for a core.`,
        '',
        '| component | ms per call | share of busy |',
        '|---|---|---|',
        ...buckets.filter(([b]) => b !== '(idle)').slice(0, 16).map(([b, us]) => `| ${b} | ${f2(us / 1000 / CALLS)} | ${((100 * us) / busy).toFixed(1)} % |`),
        '',
        '| busiest functions (self) | ms per call |',
        '|---|---|',
        ...fns.slice(0, 25).map(([f, us]) => `| \`${f}\` | ${f2(us / 1000 / CALLS)} |`),
        '',
      );
    }
  }
  process.stdout.write(out.join('\n') + '\n');
} finally {
  for (const c of closers.reverse()) await Promise.resolve().then(c).catch(() => undefined);
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

