#!/usr/bin/env node
/**
 * The state ports' cost per tool call on both adapters, side by side in one run: the embedded store
 * (LMDB, in a temp folder) and Redis (a private redis-server on a free loopback port, no persistence,
 * or --redis-url). One "call" is the state work of a paged listing: handles for 25 ids (20 known, 5
 * new), one cursor issued, the previous cursor found, one handle looked up and one unknown handle
 * refused. Measured at 0 / 10k / 100k handles and 0 / 5k live cursors; the issue's target is at most
 * 1.2x the empty-state median on each adapter.
 *
 * Then the approval race: 30 racers consume one approval, spread over 3 stores (for Redis: 3 separate
 * connections), 20 rounds; every round must have exactly one winner.
 *
 * Usage: npm run build && node bench/state-adapters.mjs [--calls N] [--redis-url URL] [--append docs/BENCHMARKS.md]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const CALLS = Number(opt('--calls', '300'));
const APPEND = opt('--append', undefined);
let redisUrl = opt('--redis-url', undefined);

const { openEmbeddedState } = await import(dist('state/embedded/store.js'));
const { connectRedisState } = await import(dist('state/redis/store.js'));

/** A private redis-server for the run (no persistence), unless --redis-url names one. */
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
  return { url: `redis://127.0.0.1:${port}`, stop: () => (child.kill('SIGKILL'), rmSync(dir, { recursive: true, force: true })) };
}

const gid = (i) => `AAMkAGI2${createHash('sha256').update(`bench-${i}`).digest('base64url')}`.padEnd(152, 'A');
const LINK = 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=' + 'x'.repeat(300);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const cursorHandle = () => 'c' + Array.from(randomBytes(12), (b) => ALPHABET[b % ALPHABET.length]).join('');

/** Fills a store with `handles` handles and `cursors` live cursors. */
async function fill(store, handles, cursors, now) {
  for (let i = 0; i < handles; i += 1000) await store.handles.handlesFor(Array.from({ length: Math.min(1000, handles - i) }, (_, j) => gid(1_000_000 + i + j)));
  for (let i = 0; i < cursors; i++) await store.cursors.issue(cursorHandle(), { nextLink: LINK, tool: 'ol_email_list_unread', root: '/me', expiresAt: now() + 3_600_000 });
}

/** A listing caller on one store: each call() does the state work of one paged listing and returns its ms. */
async function listingCaller(store, now) {
  let next = 0;
  const known = Array.from({ length: 20 }, (_, i) => gid(i));
  await store.handles.handlesFor(known);
  let previous = cursorHandle();
  await store.cursors.issue(previous, { nextLink: LINK, tool: 'ol_email_list_unread', root: '/me', expiresAt: now() + 3_600_000 });
  return async () => {
    const fresh = Array.from({ length: 5 }, () => gid(500_000 + next++));
    const started = performance.now();
    await store.cursors.find(previous);
    const handles = await store.handles.handlesFor([...known, ...fresh]);
    await store.handles.lookup(handles[3]);
    await store.handles.lookup('zzzzzzzz');
    previous = cursorHandle();
    await store.cursors.issue(previous, { nextLink: LINK, tool: 'ol_email_list_unread', root: '/me', expiresAt: now() + 3_600_000 });
    return performance.now() - started;
  };
}

/** 30 racers over 3 stores, 20 rounds: how many rounds had exactly one winner, and the round time. */
async function race(stores) {
  let exact = 0;
  const times = [];
  for (let round = 0; round < 20; round++) {
    const d = { root: '/me', draftId: gid(9_000_000 + round) };
    const n = randomBytes(16).toString('base64url');
    await stores[0].approvals.open(d, n, Date.now() + 600_000, { lock: true });
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3].approvals.consume(d, n, 60_000)));
    times.push(performance.now() - started);
    if (outcomes.filter((o) => o.ok).length === 1) exact++;
  }
  return { exact, median: median(times) };
}

const LEVELS = [
  [0, 0],
  [10_000, 0],
  [100_000, 0],
  [0, 5_000],
  [100_000, 5_000],
];

const redis = redisUrl ? undefined : await startRedis();
redisUrl ??= redis.url;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-state-'));
const adapters = {
  embedded: (namespace) => openEmbeddedState({ namespace, dir: path.join(tmp, namespace) }),
  redis: (namespace) => connectRedisState({ namespace, url: redisUrl }),
};

const rows = [];
const races = {};
const opened = [];
try {
  // Every (level, adapter) store is filled first; then the calls run round-robin over all of them, so a
  // busy moment of the machine hits every column alike instead of one row.
  const subjects = [];
  for (const [handles, cursors] of LEVELS) {
    for (const [name, open] of Object.entries(adapters)) {
      const store = await open(`bench-${name}-${handles}-${cursors}-${randomBytes(3).toString('hex')}`);
      opened.push(store);
      await fill(store, handles, cursors, Date.now);
      subjects.push({ handles, cursors, name, call: await listingCaller(store, Date.now), times: [] });
    }
    console.error(`filled: ${handles} handles, ${cursors} cursors`);
  }
  for (let c = 0; c < CALLS + 20; c++) {
    for (const s of subjects) {
      const ms = await s.call();
      if (c >= 20) s.times.push(ms); // the first 20 rounds warm up
    }
  }
  for (const [handles, cursors] of LEVELS) {
    const row = { handles, cursors };
    for (const s of subjects.filter((x) => x.handles === handles && x.cursors === cursors)) row[s.name] = { median: median(s.times), p95: p95(s.times) };
    rows.push(row);
  }
  await Promise.all(opened.splice(0).map((s) => s.close()));
  for (const [name, open] of Object.entries(adapters)) {
    const namespace = `race-${name}-${randomBytes(3).toString('hex')}`;
    // Embedded: three stores on one folder (LMDB serialises writers across them as across processes).
    const stores = name === 'embedded' ? await Promise.all([0, 1, 2].map(() => openEmbeddedState({ namespace, dir: path.join(tmp, namespace) }))) : await Promise.all([0, 1, 2].map(() => open(namespace)));
    try {
      races[name] = await race(stores);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }
} finally {
  await Promise.all(opened.map((s) => s.close()));
  redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
}

const base = rows[0];
const fmt = (r, name) => `${r[name].median.toFixed(3)} (p95 ${r[name].p95.toFixed(3)}) · ${(r[name].median / base[name].median).toFixed(2)}×`;
const lines = [
  '',
  `## State adapters side by side (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${CALLS} calls per level)`,
  '',
  'State work of one paged listing call (handles for 25 ids, a cursor issued and found, two lookups), median ms (p95) and ratio to the empty store. Embedded = LMDB in a temp folder; Redis = a local redis-server without persistence, one connection.',
  '',
  '| handles | cursors | embedded | redis |',
  '|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.handles.toLocaleString('en')} | ${r.cursors.toLocaleString('en')} | ${fmt(r, 'embedded')} | ${fmt(r, 'redis')} |`),
  '',
  '30 racers consuming one approval over 3 stores (Redis: 3 connections), 20 rounds:',
  '',
  '| adapter | rounds with exactly one winner | median round (ms) |',
  '|---|---:|---:|',
  ...Object.entries(races).map(([name, r]) => `| ${name} | ${r.exact}/20 | ${r.median.toFixed(1)} |`),
  '',
];
console.log(lines.join('\n'));
if (APPEND) appendFileSync(APPEND, lines.join('\n'));
if (Object.values(races).some((r) => r.exact !== 20)) process.exitCode = 1;
