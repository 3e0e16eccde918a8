#!/usr/bin/env node
/**
 * State benchmarks (issue 18), one run, the adapter a parameter:
 *  1. per-call overhead of a paged list at 0, 10k and 100k handles and 0 / 5k cursors, interleaved, as a ratio to empty;
 *  2. five and ten processes of one profile, 200 calls each (paging and drafts): failed calls and p99;
 *  3. 30 racers (3 processes × 10) consuming one approval, 20 rounds: sends per round;
 *  4. kill -9 of a writing process, 50 times: the store opens and every acknowledged write is there;
 *  5. disk after 10,000 calls' worth of state, and after the expiry horizon.
 * Sections 1–2 run the real server (in-process MCP client, sandbox Graph); 3–5 the adapter's StateStore.
 *
 * Usage: node bench/state.mjs [--adapter embedded] [--calls 150] [--kills 50] [--append docs/BENCHMARKS.md]
 * An adapter is bench/state-adapters/<name>.mjs (see embedded.mjs for what it exports).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadServerModules } from './tasks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = (p) => path.join(root, 'dist', p);
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const ADAPTER = opt('--adapter', 'embedded');
const CALLS = Number(opt('--calls', '150'));
const KILLS = Number(opt('--kills', '50'));
const PROC_CALLS = Number(opt('--proc-calls', '200'));
const APPEND = opt('--append', undefined);
/** Which sections to run (default all): e.g. --sections 3,4 */
const SECTIONS = new Set(opt('--sections', '1,2,3,4,5').split(',').map(Number));
const adapter = await import(pathToFileURL(path.join(here, 'state-adapters', `${ADAPTER}.mjs`)).href);

const cursorHandleOf = (tag) => `c${String(tag).replace(/[^0-9]/g, 'z').replace(/\d/g, (d) => 'abcdefghjk'[d])}`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const f1 = (n) => n.toFixed(1);
const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const tmp = (label) => mkdtempSync(path.join(os.tmpdir(), `outlook-bench-state-${label}-`));
const temps = [];
const log = (s) => process.stderr.write(s + '\n');

/** Fills a profile's store before its server starts: `handles` ids and `cursors` live cursors. */
async function fill(dir, handles, cursors) {
  const store = await adapter.openStore({ dir, namespace: 'default' });
  for (let i = 0; i < handles; i += 5_000) {
    await store.handles.handlesFor(Array.from({ length: Math.min(5_000, handles - i) }, (_, j) => `AAMkAGI2fill${i + j}${'x'.repeat(120)}`));
  }
  const link = `http://sandbox.localhost/v1.0/me/mailFolders/inbox/messages?$skiptoken=${'s'.repeat(400)}`;
  for (let i = 0; i < cursors; i++) {
    await store.cursors.issue(cursorHandleOf(i), { nextLink: link, tool: 'ol_email_list_unread', root: '/me', expiresAt: Date.now() + 12 * 3_600_000 });
  }
  await store.close();
}

let sizeRows = [];
let procRows = [];
let perRound = [];
let lost = 0;
let acked = 0;
let openFailures = 0;
let after10k = 0;
let afterHorizon = 0;
let expired = 0;

// 1. Per-call overhead by state size.
if (SECTIONS.has(1)) {
  log('1. per-call overhead …');
  const { startSandbox, loadConfig, startRuntime, createServerFactory, connectInProcess, Logger } = await loadServerModules(dist);
  const sandbox = await startSandbox();
  const SIZES = [
    { label: 'empty', handles: 0, cursors: 0 },
    { label: '10k handles', handles: 10_000, cursors: 0 },
    { label: '100k handles', handles: 100_000, cursors: 0 },
    { label: '5k cursors', handles: 0, cursors: 5_000 },
    { label: '100k handles + 5k cursors', handles: 100_000, cursors: 5_000 },
  ];
  const sessions = [];
  for (const size of SIZES) {
    const cacheDir = tmp('size');
    temps.push(cacheDir);
    const config = loadConfig({ OUTLOOK_SANDBOX: 'true', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin', ...adapter.serverEnv(cacheDir) });
    await fill(path.join(cacheDir, '@sandbox', 'default'), size.handles, size.cursors);
    const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: new Logger('silent') });
    const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'bench');
    sessions.push({ size, runtime, session, times: [] });
  }
  // A paged list: page 1 (handles + a new cursor), then page 2 through the cursor.
  const pagedList = async (client) => {
    const first = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 10 } });
    if (first.isError || !first.structuredContent.next_cursor) throw new Error(`list failed: ${first.content?.[0]?.text}`);
    const second = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 10, cursor: first.structuredContent.next_cursor } });
    if (second.isError) throw new Error(`page 2 failed: ${second.content?.[0]?.text}`);
  };
  for (let i = 0; i < 10; i++) for (const s of sessions) await pagedList(s.session.client);
  for (let i = 0; i < CALLS; i++) {
    for (const s of sessions) {
      const t = performance.now();
      await pagedList(s.session.client);
      s.times.push(performance.now() - t);
    }
  }
  const empty = median(sessions[0].times);
  sizeRows = sessions.map((s) => ({ label: s.size.label, p50: median(s.times), p90: pct(s.times, 90), ratio: median(s.times) / empty }));
  for (const s of sessions) {
    await s.session.close();
    await s.runtime.close();
  }
  await sandbox.close();

}

// 2. Several processes of one profile.
if (SECTIONS.has(2)) {
  async function processes(n, calls) {
    const dir = tmp(`procs${n}`);
    temps.push(dir);
    const children = Array.from({ length: n }, () => spawnWorker(['calls', dir, String(calls)], { ...adapter.serverEnv(dir) }));
    await Promise.all(children.map((c) => c.next()));
    for (const c of children) c.child.stdin.write('go\n');
    const results = await Promise.all(children.map((c) => c.next()));
    await Promise.all(children.map((c) => c.exited));
    const times = results.flatMap((r) => r.times);
    return { n, calls: times.length, failed: results.flatMap((r) => r.failures), p50: median(times), p99: pct(times, 99) };
  }
  log('2. five and ten processes …');
  procRows = [await processes(5, PROC_CALLS), await processes(10, PROC_CALLS)];

}

// 3. 30 racers over 3 processes, 20 rounds.
if (SECTIONS.has(3)) {
  log('3. approval racers …');
  const raceDir = tmp('race');
  temps.push(raceDir);
  {
    const store = await adapter.openStore({ dir: raceDir, namespace: 'bench' });
    for (let r = 0; r < 20; r++) await store.approvals.open({ root: '/me', draftId: `race-${r}` }, `nonce-${r}`, Date.now() + 600_000, { lock: true });
    await store.close();
  }
  const racers = Array.from({ length: 3 }, () => spawnWorker(['race', ADAPTER, raceDir, '20', '10']));
  await Promise.all(racers.map((c) => c.next()));
  for (const c of racers) c.child.stdin.write('go\n');
  const raceWins = (await Promise.all(racers.map((c) => c.next()))).map((r) => r.wins);
  perRound = Array.from({ length: 20 }, (_, r) => raceWins.reduce((n, w) => n + w[r], 0));

}

// 4. kill -9 mid-write.
if (SECTIONS.has(4)) {
  log(`4. kill -9 × ${KILLS} …`);
  const killDir = tmp('kill');
  temps.push(killDir);
  for (let k = 0; k < KILLS; k++) {
    const w = spawnWorker(['write', ADAPTER, killDir]);
    await w.next();
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 180));
    w.child.kill('SIGKILL');
    await w.exited;
    const acks = w.lines().filter((l) => l.ack !== undefined);
    acked += acks.length;
    let store;
    try {
      store = await adapter.openStore({ dir: killDir, namespace: 'bench' });
    } catch {
      openFailures++;
      continue;
    }
    for (const a of acks) {
      const ok =
        a.kind === 0 ? !!(await store.drafts.get(`draft-${a.tag}`))
        : a.kind === 1 ? (await store.handles.handlesFor([`AAMkAGI2-${a.tag}-${'x'.repeat(120)}`])).length === 1 && (await store.handles.lookup((await store.handles.handlesFor([`AAMkAGI2-${a.tag}-${'x'.repeat(120)}`]))[0])) !== undefined
        : a.kind === 2 ? !!(await store.cursors.find(cursorHandleOf(a.tag)))
        : (await store.approvals.standing({ root: '/me', draftId: `draft-${a.tag}` }, `n-${a.tag}`)) === 'spent' && (await store.approvals.lockedUntil({ root: '/me', draftId: `draft-${a.tag}` })) !== undefined;
      if (!ok) lost++;
    }
    await store.close();
  }

}

// 5. Disk after 10,000 calls' worth of state, then after the expiry horizon.
if (SECTIONS.has(5)) {
  log('5. disk …');
  const diskDir = tmp('disk');
  temps.push(diskDir);
  let clock = Date.now();
  const store = await adapter.openStore({ dir: diskDir, namespace: 'bench', now: () => clock });
  for (let i = 0; i < 10_000; i++) {
    // What one call writes at most: 10 new handles, a cursor; every 10th a draft with an approval sent; every 50th a delta round.
    await store.handles.handlesFor(Array.from({ length: 10 }, (_, j) => `AAMkAGI2disk${i}-${j}${'x'.repeat(120)}`));
    await store.cursors.issue(cursorHandleOf(i), { nextLink: `https://graph.microsoft.com/v1.0/me/messages?$skiptoken=${'s'.repeat(300)}${i}`, tool: 'ol_email_search', root: '/me', expiresAt: clock + 12 * 3_600_000 });
    if (i % 10 === 0) {
      const d = { root: '/me', draftId: `disk-draft-${i}` };
      await store.drafts.add({ id: d.draftId, kind: 'mail', creationId: String(i), subject: `Subject ${i}`, createdAt: new Date(clock).toISOString() });
      await store.approvals.open(d, `n${i}`, clock + 600_000, { lock: true });
      await store.approvals.consume(d, `n${i}`, 900_000);
      await store.approvals.release(d, `n${i}`);
      await store.drafts.remove(d.draftId);
    }
    if (i % 50 === 0) {
      const cur = await store.deltas.get('/me', 'inbox');
      await store.deltas.save('/me', 'inbox', cur?.revision ?? 0, { deltaLink: `https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=${'d'.repeat(500)}${i}`, savedAt: new Date(clock).toISOString() });
    }
    clock += 1_000;
  }
  after10k = adapter.diskBytes(diskDir);
  clock += 91 * 86_400_000;
  if (typeof store.compact === 'function') expired += await store.compact();
  expired += await store.handles.expireUnusedSince(clock - 90 * 86_400_000);
  // Writes after the horizon reuse the freed pages instead of growing the file.
  for (let i = 0; i < 1_000; i++) await store.handles.handlesFor(Array.from({ length: 10 }, (_, j) => `AAMkAGI2later${i}-${j}${'x'.repeat(120)}`));
  afterHorizon = adapter.diskBytes(diskDir);
  await store.close();

}

for (const t of temps) rmSync(t, { recursive: true, force: true });

const report = `
## State (${ADAPTER} adapter)

Measured by \`node bench/state.mjs --adapter ${ADAPTER}\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; one run.

Per-call overhead by state size: a paged \`ol_email_list_unread\` (page 1 issues 10 handles and a cursor, page 2 redeems it), ${CALLS} rounds, the five profiles interleaved:

| State | p50 | p90 | Ratio to empty (target ≤ 1.2) |
|---|---|---|---|
${sizeRows.map((r) => `| ${r.label} | ${f1(r.p50)} ms | ${f1(r.p90)} ms | ${r.ratio.toFixed(2)} (${r.ratio <= 1.2 ? 'meets' : 'MISSES'}) |`).join('\n')}

Processes of one profile, each 200 calls (list, next page by cursor, search, create draft, update draft), all at once:

| Processes | Calls | Failed | p50 | p99 |
|---|---|---|---|---|
${procRows.map((r) => `| ${r.n} | ${r.calls} | ${r.failed.length}${r.failed.length ? ` (${r.failed.slice(0, 2).join('; ')})` : ''} | ${f1(r.p50)} ms | ${f1(r.p99)} ms |`).join('\n')}

| Check | Result |
|---|---|
| 30 racers (3 processes × 10) consuming one approval, 20 rounds | sends per round: ${[...new Set(perRound)].join(', ')} (${perRound.every((n) => n === 1) ? 'exactly one every round' : 'NOT exactly one'}) |
| kill -9 of a writing process, ${KILLS} times | store opened ${KILLS - openFailures}/${KILLS} times; ${acked} acknowledged writes checked, ${lost} lost |
| Disk after 10,000 calls' worth of state (100k handles, 10k cursors, 1k drafts sent, 200 delta rounds) | ${mb(after10k)} |
| Disk after the expiry horizon (91 days on: ${expired} records expired) and 1,000 more calls | ${mb(afterHorizon)} (freed pages are reused; LMDB files do not shrink) |
`;
process.stdout.write(report);
if (APPEND) appendFileSync(APPEND, report);

/** A bench worker process with a JSON-lines reader. */
function spawnWorker(argv, env = {}) {
  const child = spawn(process.execPath, [path.join(here, 'state-worker.mjs'), ...argv], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const parsed = [];
  const waiters = [];
  let buf = '';
  let read = 0;
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        parsed.push(JSON.parse(line));
      } catch {
        continue;
      }
      while (waiters.length && read < parsed.length) waiters.shift()(parsed[read++]);
    }
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    child,
    exited,
    lines: () => parsed,
    next: () => (read < parsed.length ? Promise.resolve(parsed[read++]) : new Promise((r) => waiters.push(r))),
  };
}
