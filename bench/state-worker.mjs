#!/usr/bin/env node
/**
 * A child process of bench/state.mjs (and of the cross-process tests): one
 * process of a profile doing one job, reporting JSON lines on stdout.
 *   race <adapter> <dir> <rounds> <racers>   consume draft r's approval `racers` times at once per round
 *   write <adapter> <dir>                     write for ever, printing each acknowledged write (for kill -9)
 *   calls <adapter> <dir> <calls>             a server of the sandbox profile in <dir> on the adapter: paging and drafts calls
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, ...rest] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
/** A cursor handle made of the write's tag, unique per process and write. */
export const cursorHandleOf = (tag) => `c${tag.replace(/[^0-9]/g, 'z').replace(/\d/g, (d) => 'abcdefghjk'[d])}`;
const adapterOf = (name) => import(pathToFileURL(path.join(here, 'state-adapters', `${name}.mjs`)).href);

if (mode === 'race') {
  const [adapterName, dir, rounds, racers] = rest;
  const adapter = await adapterOf(adapterName);
  const store = await adapter.openStore({ dir, namespace: 'bench' });
  // Start together: the parent writes "go" once every worker is ready.
  out({ ready: true });
  await new Promise((r) => process.stdin.once('data', r));
  const wins = [];
  for (let r = 0; r < Number(rounds); r++) {
    const draft = { root: '/me', draftId: `race-${r}` };
    const outcomes = await Promise.all(Array.from({ length: Number(racers) }, () => store.approvals.consume(draft, `nonce-${r}`, 60_000)));
    wins.push(outcomes.filter((o) => o.ok).length);
  }
  out({ wins });
  await store.close();
  // stdin may still be open (the parent keeps its end): leave anyway.
  process.exit(0);
} else if (mode === 'write') {
  const [adapterName, dir] = rest;
  const adapter = await adapterOf(adapterName);
  const store = await adapter.openStore({ dir, namespace: 'bench' });
  out({ ready: true });
  for (let i = 0; ; i++) {
    const tag = `${process.pid}-${i}`;
    const kind = i % 4;
    if (kind === 0) await store.drafts.add({ id: `draft-${tag}`, kind: 'mail', creationId: tag, subject: tag, createdAt: new Date().toISOString() });
    else if (kind === 1) await store.handles.handlesFor([`AAMkAGI2-${tag}-${'x'.repeat(120)}`]);
    else if (kind === 2) await store.cursors.issue(cursorHandleOf(tag), { nextLink: `https://graph.microsoft.com/v1.0/me/messages?$skiptoken=${tag}`, tool: 't', root: '/me', expiresAt: Date.now() + 3_600_000 });
    else {
      await store.approvals.open({ root: '/me', draftId: `draft-${tag}` }, `n-${tag}`, Date.now() + 600_000, { lock: true });
      await store.approvals.consume({ root: '/me', draftId: `draft-${tag}` }, `n-${tag}`, 600_000);
    }
    out({ ack: i, tag, kind });
  }
} else if (mode === 'calls') {
  const [adapterName, dir, calls] = rest;
  const adapter = await adapterOf(adapterName);
  const dist = (p) => path.join(here, '..', 'dist', p);
  const { loadServerModules } = await import(pathToFileURL(path.join(here, 'tasks.mjs')).href);
  const { loadConfig, startRuntime, createServerFactory, connectInProcess, Logger } = await loadServerModules(dist);
  const config = loadConfig({ OUTLOOK_SANDBOX: 'true', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_CACHE_DIR: dir, OUTLOOK_TIMEZONE: 'Europe/Berlin', ...adapter.serverEnv(dir) });
  // Each process has its own fake Graph; the profile's state (handles, cursors, drafts, gate) is the shared part under test.
  const runtime = await startRuntime(config, { logger: new Logger('silent'), ephemeralSandbox: true });
  const { client } = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'bench-process');
  out({ ready: true });
  await new Promise((r) => process.stdin.once('data', r));
  const times = [];
  const failures = [];
  let cursor;
  let draft;
  for (let i = 0; i < Number(calls); i++) {
    const step = i % 5;
    const [name, args] =
      step === 0 ? ['ol_email_list_unread', { limit: 3 }]
      : step === 1 ? ['ol_email_list_unread', cursor ? { limit: 3, cursor } : { limit: 3 }]
      : step === 2 ? ['ol_email_search', { query: 'invoice', limit: 5 }]
      : step === 3 ? ['ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: `Bench ${process.pid} ${i}`, body: 'b' }]
      : draft ? ['ol_email_update_draft', { draft_id: draft, subject: `Bench ${process.pid} ${i} edited` }] : ['ol_email_list_drafts', {}];
    const t = performance.now();
    try {
      const r = await client.callTool({ name, arguments: args });
      times.push(performance.now() - t);
      if (r.isError) failures.push(`${name}: ${r.content?.[0]?.text}`);
      if (name === 'ol_email_list_unread') cursor = r.structuredContent?.next_cursor;
      if (name === 'ol_email_create_draft') draft = r.structuredContent?.draft_id;
    } catch (err) {
      times.push(performance.now() - t);
      failures.push(`${name}: ${err.message}`);
    }
  }
  out({ times, failures });
  await runtime.close();
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
