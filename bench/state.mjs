#!/usr/bin/env node
/**
 * State benchmarks (issue 18): both adapters side by side in one run, interleaved, so their figures share the
 * machine's load at the time (the machine is shared; absolute times are inflated, ratios measured together hold):
 *  1. per-call overhead of a paged list at 0, 10k and 100k handles and 0 / 5k cursors: every (adapter, size)
 *     profile is a server in this process, and each round times one paged list on every profile in a shuffled
 *     order; medians and the ratio to the same adapter's empty profile;
 *  2. five and ten processes of one profile, 200 calls each (paging and drafts): failed calls and p99;
 *  3. 30 racers (3 processes × 10) consuming one approval, 20 rounds: sends per round;
 *  4. kill -9 of a writing process, 50 times per adapter (alternating): the store opens and every
 *     acknowledged write is there;
 *  5. disk after 10,000 calls' worth of state, and after the expiry horizon (injected clock, the same upkeep
 *     the server runs: compaction and the 90-day handle expiry).
 * Sections 1–2 run the real server (in-process MCP client, sandbox Graph); 3–5 the adapters' StateStore.
 * The Redis adapter starts a private redis-server for the run and stops it at the end.
 *
 * Usage: node bench/state.mjs [--adapters embedded,redis] [--calls 100] [--kills 50] [--proc-calls 200] [--fill-batch 50]
 *        [--sections 1,2,3,4,5] [--out file.md]
 * An adapter is bench/state-adapters/<name>.mjs (see embedded.mjs for what it exports). Run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadServerModules } from './tasks.mjs';
import { benchFlags, median, percentile } from './cli.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = (p) => path.join(root, 'dist', p);
const args = process.argv.slice(2);
const flags = benchFlags('node bench/state.mjs [--adapters embedded,redis] [--calls 100] [--kills 50] [--proc-calls 200] [--fill-batch 50] [--sections 1,2,3,4,5] [--out file.md]', {
  adapters: { default: 'embedded,redis' },
  calls: { default: 100, number: true },
  kills: { default: 50, number: true },
  'proc-calls': { default: 200, number: true },
  // Handles per write when filling a profile (--fill-batch 5000 shows the bulk-fill effect).
  'fill-batch': { default: 50, number: true },
  sections: { default: '1,2,3,4,5' },
  out: {},
});
const { calls: CALLS, kills: KILLS, procCalls: PROC_CALLS, out: OUT, fillBatch: FILL_PER_CALL } = flags;
const ADAPTERS = flags.adapters.split(',');
/** Which sections to run (default all): e.g. --sections 3,4 */
const SECTIONS = new Set(flags.sections.split(',').map(Number));
const adapters = Object.fromEntries(await Promise.all(ADAPTERS.map(async (name) => [name, await import(pathToFileURL(path.join(here, 'state-adapters', `${name}.mjs`)).href)])));
const { HANDLE_IDLE_MS } = await import(dist('state/profile-state.js'));

const cursorHandleOf = (tag) => `c${String(tag).replace(/[^0-9]/g, 'z').replace(/\d/g, (d) => 'abcdefghjk'[d])}`;
const f1 = (n) => (n === undefined ? '—' : n.toFixed(1));
const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const tmp = (label) => mkdtempSync(path.join(os.tmpdir(), `outlook-bench-state-${label}-`));
const temps = [];
const started = performance.now();
const log = (s) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${s}\n`);
const loads = [];
const sampleLoad = () => loads.push(os.loadavg()[0]);
const loadTimer = setInterval(sampleLoad, 5_000);
sampleLoad();
const shuffle = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

/**
 * Fills a profile's store before its server starts: `handles` ids and `cursors` live cursors. Handles go in
 * 50 at a time, as a server writes them (a call lists at most 50): filling LMDB 5,000 random inserts per
 * transaction leaves free-page records that slow the next few hundred small writes ~10×, a state no server
 * reaches (docs/BENCHMARKS.md; the legacy import and the expiry sweep write in small transactions for it).
 */
async function fill(adapter, dir, handles, cursors) {
  const store = await adapter.openStore({ dir, namespace: 'default' });
  for (let i = 0; i < handles; i += FILL_PER_CALL) {
    await store.handles.handlesFor(Array.from({ length: Math.min(FILL_PER_CALL, handles - i) }, (_, j) => `AAMkAGI2fill${i + j}${'x'.repeat(120)}`));
  }
  const link = `http://sandbox.localhost/v1.0/me/mailFolders/inbox/messages?$skiptoken=${'s'.repeat(400)}`;
  for (let i = 0; i < cursors; i++) {
    await store.cursors.issue(cursorHandleOf(i), { nextLink: link, tool: 'ol_email_list_unread', root: '/me', expiresAt: Date.now() + 12 * 3_600_000 });
  }
  await store.close();
}

const results = { sizes: [], procs: [], race: {}, kill: {}, disk: {} };

// 1. Per-call overhead by state size.
if (SECTIONS.has(1)) {
  log('1. per-call overhead: filling …');
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
  for (const name of ADAPTERS) {
    const adapter = adapters[name];
    for (const size of SIZES) {
      const cacheDir = tmp('size');
      temps.push(cacheDir);
      const profileDir = path.join(cacheDir, '@sandbox', 'default');
      // The server's state for the sandbox profile lives in profileDir; the Redis adapter keys its namespace by it.
      const config = loadConfig({ OUTLOOK_SANDBOX: 'true', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin', ...adapter.serverEnv(profileDir) });
      await fill(adapter, profileDir, size.handles, size.cursors);
      const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: new Logger('silent') });
      const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'bench');
      sessions.push({ adapter: name, size, runtime, session, times: [] });
    }
  }
  // A paged list: page 1 (handles + a new cursor), then page 2 through the cursor.
  const pagedList = async (client) => {
    const first = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 10 } });
    if (first.isError || !first.structuredContent.next_cursor) throw new Error(`list failed: ${first.content?.[0]?.text}`);
    const second = await client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 10, cursor: first.structuredContent.next_cursor } });
    if (second.isError) throw new Error(`page 2 failed: ${second.content?.[0]?.text}`);
  };
  log('1. per-call overhead: warming up …');
  // The first call opens each embedded store and runs its upkeep (a walk of every handle); then 10 more rounds.
  for (let i = 0; i < 11; i++) for (const s of sessions) await pagedList(s.session.client);
  await Promise.all(sessions.map((s) => s.runtime.deps.state?.maintain?.()));
  log(`1. per-call overhead: ${CALLS} rounds …`);
  for (let i = 0; i < CALLS; i++) {
    for (const s of shuffle(sessions)) {
      const t = performance.now();
      await pagedList(s.session.client);
      s.times.push(performance.now() - t);
    }
  }
  for (const name of ADAPTERS) {
    const mine = sessions.filter((s) => s.adapter === name);
    const empty = median(mine[0].times);
    for (const s of mine) results.sizes.push({ adapter: name, label: s.size.label, p50: median(s.times), p90: percentile(s.times, 90), ratio: median(s.times) / empty });
  }
  for (const s of sessions) {
    await s.session.close();
    await s.runtime.close();
  }
  await sandbox.close();
}

// 2. Several processes of one profile.
if (SECTIONS.has(2)) {
  async function processes(name, n, calls) {
    const dir = tmp(`procs${n}`);
    temps.push(dir);
    const children = Array.from({ length: n }, () => spawnWorker(['calls', name, dir, String(calls)]));
    await Promise.all(children.map((c) => c.next()));
    const t = performance.now();
    for (const c of children) c.child.stdin.end('go\n');
    const out = await Promise.all(children.map((c) => c.next()));
    const wall = performance.now() - t;
    await Promise.all(children.map((c) => c.exited));
    const times = out.flatMap((r) => r.times);
    return { adapter: name, n, calls: times.length, failed: out.flatMap((r) => r.failures), p50: median(times), p99: percentile(times, 99), wall };
  }
  for (const n of [5, 10]) {
    for (const name of ADAPTERS) {
      log(`2. ${n} processes × ${PROC_CALLS} calls, ${name} …`);
      results.procs.push(await processes(name, n, PROC_CALLS));
    }
  }
}

// 3. 30 racers over 3 processes, 20 rounds.
if (SECTIONS.has(3)) {
  for (const name of ADAPTERS) {
    log(`3. approval racers, ${name} …`);
    const raceDir = tmp('race');
    temps.push(raceDir);
    const store = await adapters[name].openStore({ dir: raceDir, namespace: 'bench' });
    for (let r = 0; r < 20; r++) await store.approvals.open({ root: '/me', draftId: `race-${r}` }, `nonce-${r}`, Date.now() + 600_000, { lock: true });
    await store.close();
    const racers = Array.from({ length: 3 }, () => spawnWorker(['race', name, raceDir, '20', '10']));
    await Promise.all(racers.map((c) => c.next()));
    for (const c of racers) c.child.stdin.end('go\n');
    const raceWins = (await Promise.all(racers.map((c) => c.next()))).map((r) => r.wins);
    await Promise.all(racers.map((c) => c.exited));
    results.race[name] = Array.from({ length: 20 }, (_, r) => raceWins.reduce((n, w) => n + w[r], 0));
  }
}

// 4. kill -9 mid-write, alternating adapters.
if (SECTIONS.has(4)) {
  log(`4. kill -9 × ${KILLS} per adapter …`);
  const killDirs = Object.fromEntries(ADAPTERS.map((name) => [name, tmp('kill')]));
  temps.push(...Object.values(killDirs));
  for (const name of ADAPTERS) results.kill[name] = { acked: 0, lost: 0, openFailures: 0 };
  for (let k = 0; k < KILLS; k++) {
    for (const name of ADAPTERS) {
      const r = results.kill[name];
      const w = spawnWorker(['write', name, killDirs[name]]);
      await w.next();
      await new Promise((res) => setTimeout(res, 20 + Math.random() * 180));
      w.child.kill('SIGKILL');
      await w.exited;
      const acks = w.lines().filter((l) => l.ack !== undefined);
      r.acked += acks.length;
      let store;
      try {
        store = await adapters[name].openStore({ dir: killDirs[name], namespace: 'bench' });
      } catch {
        r.openFailures++;
        continue;
      }
      for (const a of acks) {
        const id = `AAMkAGI2-${a.tag}-${'x'.repeat(120)}`;
        const ok =
          a.kind === 0 ? !!(await store.drafts.get(`draft-${a.tag}`))
          : a.kind === 1 ? (await store.handles.lookup((await store.handles.handlesFor([id]))[0])) === id
          : a.kind === 2 ? !!(await store.cursors.find(cursorHandleOf(a.tag)))
          : (await store.approvals.standing({ root: '/me', draftId: `draft-${a.tag}` }, `n-${a.tag}`)) === 'spent' && (await store.approvals.lockedUntil({ root: '/me', draftId: `draft-${a.tag}` })) !== undefined;
        if (!ok) r.lost++;
      }
      await store.close();
    }
  }
}

// 5. Disk after 10,000 calls' worth of state, then after the expiry horizon.
if (SECTIONS.has(5)) {
  for (const name of ADAPTERS) {
    log(`5. disk, ${name} …`);
    const adapter = adapters[name];
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
    const after10k = await adapter.diskBytes(diskDir);
    // The expiry horizon: 91 days on, the server's upkeep (what profile-state.ts runs every 6 h).
    clock += 91 * 86_400_000;
    let expired = typeof store.compact === 'function' ? await store.compact() : await store.cursors.purgeExpired();
    expired += await store.handles.expireUnusedSince(clock - HANDLE_IDLE_MS);
    const afterExpiry = await adapter.diskBytes(diskDir);
    // Writes after the horizon reuse the freed space instead of growing the store.
    for (let i = 0; i < 1_000; i++) await store.handles.handlesFor(Array.from({ length: 10 }, (_, j) => `AAMkAGI2later${i}-${j}${'x'.repeat(120)}`));
    const afterMore = await adapter.diskBytes(diskDir);
    await store.close();
    // A copy of the store as a backup would take it: what is really in use after the horizon.
    const live = typeof adapter.liveBytes === 'function' ? await adapter.liveBytes(diskDir) : undefined;
    results.disk[name] = { after10k, expired, afterExpiry, afterMore, live };
  }
}

clearInterval(loadTimer);
for (const t of temps) rmSync(t, { recursive: true, force: true });

const cols = ADAPTERS;
const seconds = (performance.now() - started) / 1000;
const report = `Measured by \`node bench/state.mjs${args.length ? ` ${args.join(' ')}` : ''}\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; one run of ${Math.round(seconds)} s, both adapters (${cols.join(', ')}) side by side. Load average (1 min) during the run: median ${f1(median(loads))}, max ${f1(Math.max(...loads))} on ${os.cpus().length} cores (the machine was shared with other sessions: absolute times are inflated; compare within a run).
${results.sizes.length ? `
Per-call overhead by state size: a paged \`ol_email_list_unread\` (page 1 issues 10 handles and a cursor, page 2 redeems it) through the in-process MCP client, ${CALLS} rounds; each round runs every profile of both adapters once, in a shuffled order.

| State | ${cols.map((c) => `${c} p50 | ${c} p90 | ${c} ratio`).join(' | ')} |
|---|${cols.map(() => '---|---|---').join('|')}|
${results.sizes.filter((r) => r.adapter === cols[0]).map((row) => `| ${row.label} | ${cols.map((c) => { const r = results.sizes.find((x) => x.adapter === c && x.label === row.label); return `${f1(r.p50)} ms | ${f1(r.p90)} ms | ${r.ratio.toFixed(2)}${r.ratio <= 1.2 ? '' : ' (misses ≤ 1.2)'}`; }).join(' | ')} |`).join('\n')}
` : ''}${results.procs.length ? `
Processes of one profile, each ${PROC_CALLS} calls (list, next page by cursor, search, create draft, update draft) all at once; each process has its own sandbox Graph, the profile's state is what they share:

| Adapter | Processes | Calls | Failed | p50 | p99 | Wall |
|---|---|---|---|---|---|---|
${results.procs.map((r) => `| ${r.adapter} | ${r.n} | ${r.calls} | ${r.failed.length}${r.failed.length ? ` (${r.failed.slice(0, 2).join('; ')})` : ''} | ${f1(r.p50)} ms | ${f1(r.p99)} ms | ${f1(r.wall / 1000)} s |`).join('\n')}
` : ''}
| Check | ${cols.join(' | ')} |
|---|${cols.map(() => '---').join('|')}|
${results.race[cols[0]] ? `| 30 racers (3 processes × 10) consuming one approval, 20 rounds: sends per round | ${cols.map((c) => `${[...new Set(results.race[c])].join(', ')} (${results.race[c].every((n) => n === 1) ? 'exactly one every round' : 'NOT exactly one'})`).join(' | ')} |\n` : ''}${results.kill[cols[0]] ? `| kill -9 of a writing process, ${KILLS} times: store opened; acknowledged writes checked, lost | ${cols.map((c) => { const r = results.kill[c]; return `${KILLS - r.openFailures}/${KILLS}; ${r.acked} checked, ${r.lost} lost`; }).join(' | ')} |\n` : ''}${results.disk[cols[0]] ? `| Size after 10,000 calls' worth of state (100k handles, 10k cursors, 1k drafts sent, 200 delta rounds) | ${cols.map((c) => mb(results.disk[c].after10k)).join(' | ')} |
| … after the expiry horizon (91 days on, the server's upkeep; records expired) | ${cols.map((c) => `${mb(results.disk[c].afterExpiry)} (${results.disk[c].expired})`).join(' | ')} |
| … and 1,000 more calls (10k new handles) | ${cols.map((c) => mb(results.disk[c].afterMore)).join(' | ')} |
| … live data in it (a compacting copy of the files) | ${cols.map((c) => (results.disk[c].live === undefined ? '—' : mb(results.disk[c].live))).join(' | ')} |
` : ''}`;
process.stdout.write(report);
if (OUT) writeFileSync(OUT, report);
process.exit(0);

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
