/**
 * The Redis adapter for bench/state.mjs (same exports as embedded.mjs). The first process that loads it
 * starts a private redis-server (no persistence, like a cache-only test instance; free loopback port)
 * unless OUTLOOK_BENCH_REDIS_URL names one, and passes the URL to its worker processes through that
 * variable. Each bench folder is one deployment: its secret is derived from the folder, so servers
 * started with serverEnv(dir) and stores opened with openStore({ dir }) meet in the same namespace.
 * "Disk" is what Redis holds in memory for the folder's namespaces (MEMORY USAGE of their keys).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { connectRedisState } = await import(path.join(dist, 'state', 'redis', 'store.js'));
const { stateNamespace } = await import(path.join(dist, 'state', 'redis', 'profile-state.js'));

export const name = 'redis';

async function startRedis() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}); is the Debian package redis-server installed?`)));
    child.stdout.on('data', (c) => /Ready to accept connections/.test(String(c)) && resolve());
  });
  child.stdout.resume();
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  // Never leave the server behind: on a normal exit, and when the bench is interrupted or timed out.
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (stop(), process.exit(130)));
  return `redis://127.0.0.1:${port}`;
}

const url = (process.env.OUTLOOK_BENCH_REDIS_URL ??= await startRedis());
const secretOf = (dir) => createHash('sha256').update(`bench:${dir}`).digest('hex');

export function openStore({ dir, namespace, now }) {
  return connectRedisState({ namespace: stateNamespace(secretOf(dir), 'profile', namespace), url, now });
}

export function serverEnv(dir) {
  return { OUTLOOK_STATE_STORE: 'redis', OUTLOOK_REDIS_URL: url, OUTLOOK_STATE_SECRET: secretOf(dir) };
}

const MEMORY_OF = "local t = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do t = t + (redis.call('MEMORY', 'USAGE', k) or 0) end return t";

/** Bytes Redis holds for the namespaces of `dir` (the bench uses 'bench' and the sandbox profile 'default'). */
export function diskBytes(dir) {
  let total = 0;
  for (const ns of ['bench', 'default']) {
    const pattern = `outlook:{${encodeURIComponent(stateNamespace(secretOf(dir), 'profile', ns))}}:*`;
    const r = spawnSync('redis-cli', ['-u', url, 'EVAL', MEMORY_OF, '0', pattern], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`redis-cli failed: ${r.stderr}`);
    total += Number(r.stdout.trim()) || 0;
  }
  return total;
}
