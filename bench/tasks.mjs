/**
 * Scripted agent tasks on the sandbox, each a fixed sequence of tool calls an
 * agent would make, measured three ways:
 *  - tool calls made;
 *  - Graph requests (the sandbox's request log);
 *  - tokens the model reads: the text content of every tool result (what
 *    clients put in the model's context), o200k_base.
 * Side by side, two passthrough baselines, i.e. what a generic Graph-proxy
 * server hands the model as raw JSON for the same task:
 *  - "same responses": the JSON of the very requests our server made, with
 *    our `$select`s and text-body preference (a floor no generic server beats);
 *  - "generic": the same reads without `$select` and without asking for text
 *    bodies, i.e. Graph's default properties and HTML bodies, which is what a
 *    server that passes the model's request through gets back. Writes count
 *    their response as returned.
 *
 * Also: tokens per listed row of every list tool, over the seeded data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

const tokens = (s) => encode(s).length;
const textOf = (result) => (result.content ?? []).map((c) => c.text ?? '').join('\n');

/** A fetch that records every JSON response the Graph client receives, with the request that got it. */
function capturingFetch(sink) {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if ((res.headers.get('content-type') ?? '').includes('json')) sink.push({ method: init?.method ?? 'GET', url, headers: new Headers(init?.headers), body: await res.clone().text() });
    return res;
  };
}

/** Tokens of what Graph returns for `r` with its default properties and HTML bodies (reads only; a paged link is followed as is). */
async function genericTokens(r) {
  const url = new URL(r.url);
  if (r.method !== 'GET' || !url.searchParams.has('$select')) return tokens(r.body);
  url.searchParams.delete('$select');
  const headers = new Headers(r.headers);
  const prefer = (headers.get('prefer') ?? '').split(',').map((p) => p.trim()).filter((p) => p && !/^outlook\.body-content-type/i.test(p));
  if (prefer.length) headers.set('prefer', prefer.join(', '));
  else headers.delete('prefer');
  const res = await fetch(url, { headers });
  return tokens(await res.text());
}

/** The built modules a benchmark needs to run the real server in-process against a sandbox. */
export async function loadServerModules(dist) {
  const [{ startSandbox }, { loadConfig }, { startRuntime }, { createServerFactory }, { connectInProcess }, { Logger }] = await Promise.all(
    ['sandbox/index.js', 'config/config.js', 'runtime.js', 'mcp/server.js', 'in-process.js', 'log.js'].map((p) => import(dist(p))),
  );
  return { startSandbox, loadConfig, startRuntime, createServerFactory, connectInProcess, Logger };
}

/** Starts a sandbox-backed server with drafts on, capturing every Graph response it receives. */
async function startSession(dist, now) {
  const { startSandbox, loadConfig, startRuntime, createServerFactory, connectInProcess, Logger } = await loadServerModules(dist);
  const sandbox = await startSandbox({ now });
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-bench-tasks-'));
  const config = loadConfig({ OUTLOOK_SANDBOX: 'true', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' });
  const responses = [];
  const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: new Logger('silent'), fetch: capturingFetch(responses), now: () => new Date(now.getTime()) });
  const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'bench-agent');
  return {
    sandbox,
    responses,
    client: session.client,
    async close() {
      await session.close();
      await runtime.close();
      await sandbox.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/**
 * The tasks. Each step gets the results so far, so later calls use ids the
 * earlier ones returned, as an agent would. `needs` lists tools a task cannot
 * run without (a task whose tools are missing is reported as skipped, never
 * as passed).
 */
function tasks(seed) {
  const { SEED_IDS, clock } = seed;
  const monday = clock.weekDate(0);
  const sunday = clock.weekDate(6);
  const friday = clock.weekDate(clock.proposalDay);
  const anna = 'anna.schmidt@contoso.example';
  return [
    {
      name: 'Triage 20 unread',
      needs: ['ol_email_list_unread', 'ol_email_read'],
      steps: [
        () => ['ol_email_list_unread', { limit: 20 }],
        // Open the ones marked important, as an agent triaging would.
        (r) => (r[0].structuredContent.messages ?? []).filter((m) => m.flags?.includes('high importance')).slice(0, 3).map((m) => ['ol_email_read', { id: m.id, max_chars: 2000 }]),
      ],
    },
    {
      name: "A week's schedule summary",
      needs: ['ol_calendar_list_events'],
      steps: [() => ['ol_calendar_list_events', { from_date: monday, to_date: sunday }]],
    },
    {
      name: 'Reply in a thread',
      needs: ['ol_email_read_thread', 'ol_email_create_draft'],
      steps: [
        () => ['ol_email_read_thread', { id: SEED_IDS.threadWithHistory }],
        () => ['ol_email_create_draft', { in_reply_to: SEED_IDS.threadWithHistory, reply_all: true, body: 'Thanks all. The revised scope works for us; I will send the updated estimate on Friday.' }],
      ],
    },
    {
      name: "Read Anna's mail and check my Friday calendar",
      needs: ['ol_email_search', 'ol_email_read', 'ol_calendar_list_events'],
      steps: [
        () => ['ol_email_search', { from: 'Anna', limit: 5 }],
        (r) => ['ol_email_read', { id: r[0].structuredContent.messages[0].id }],
        () => ['ol_calendar_list_events', { from_date: friday, to_date: friday }],
      ],
    },
    {
      name: 'Propose times and draft the reply',
      needs: ['ol_calendar_find_free_time', 'ol_email_create_draft'],
      steps: [
        () => ['ol_calendar_find_free_time', { attendees: [anna], from_date: friday, to_date: friday, duration_minutes: 60, limit: 5 }],
        () => [
          'ol_email_create_draft',
          { in_reply_to: SEED_IDS.proposalMessage, body: 'Hi Anna, 14:00 clashes with the Customer Y review. Could we do 10:00–11:00 or 13:00–14:00 on Friday instead?' },
        ],
      ],
    },
  ];
}

/** Runs one task: its calls, the Graph requests they made, and both token counts. */
async function runTask(s, task) {
  s.sandbox.clearLog();
  s.responses.length = 0;
  const results = [];
  let calls = 0;
  let modelTokens = 0;
  for (const step of task.steps) {
    const planned = step(results);
    const list = Array.isArray(planned[0]) ? planned : [planned];
    for (const [name, args] of list) {
      const r = await s.client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${task.name}: ${name} failed: ${textOf(r)}`);
      calls++;
      modelTokens += tokens(textOf(r));
      results.push(r);
    }
  }
  const graphRequests = s.sandbox.requests.length;
  const same = s.responses.reduce((n, r) => n + tokens(r.body), 0);
  let generic = 0;
  for (const r of s.responses) generic += await genericTokens(r);
  const per = Math.max(1, modelTokens);
  return { name: task.name, calls, graphRequests, tokens: modelTokens, same, generic, sameRatio: same / per, genericRatio: generic / per };
}

/** Tokens per listed row: text content and structuredContent JSON. */
async function listCosts(s, seed) {
  const { clock } = seed;
  const lists = [
    ['ol_calendar_list_events', { from_date: clock.weekDate(0), to_date: clock.weekDate(6) }, 'events', 'the seeded week'],
    ['ol_calendar_search', { query: 'meeting', from_date: clock.weekDate(-28), to_date: clock.weekDate(34) }, 'events', '"meeting", 9 weeks'],
    ['ol_email_list_unread', { limit: 50 }, 'messages', '50 newest'],
    ['ol_email_search', { query: 'fabrikam', limit: 25 }, 'messages', '"fabrikam"'],
    ['ol_email_list_folders', {}, 'folders', 'all folders'],
    ['ol_email_list_drafts', { profile_only: false }, 'drafts', 'all drafts'],
    ['ol_email_whats_new', {}, 'messages', 'first call (7-day baseline)'],
    ['ol_people_search', { query: 'a' }, 'people', '"a"'],
  ];
  const { tools } = await s.client.listTools();
  const available = new Set(tools.map((t) => t.name));
  const rows = [];
  for (const [name, args, key, what] of lists) {
    if (!available.has(name)) continue;
    const r = await s.client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(`${name}: ${textOf(r)}`);
    const items = r.structuredContent?.[key];
    const n = Array.isArray(items) ? items.length : 0;
    if (n === 0) continue;
    rows.push({ name, what, rows: n, text: tokens(textOf(r)) / n, structured: tokens(JSON.stringify(r.structuredContent)) / n });
  }
  return { rows, toolsListTokens: tokens(JSON.stringify(tools)), toolCount: tools.length };
}

/** Runs every task whose tools exist, plus the per-row list costs. */
export async function runTaskBench(dist) {
  const now = new Date();
  const { SEED_IDS } = await import(dist('sandbox/seed/index.js'));
  const { createSeedClock } = await import(dist('sandbox/seed/clock.js'));
  const seed = { SEED_IDS, clock: createSeedClock(now) };
  const s = await startSession(dist, now);
  try {
    const { tools } = await s.client.listTools();
    const available = new Set(tools.map((t) => t.name));
    const results = [];
    for (const task of tasks(seed)) {
      const missing = task.needs.filter((n) => !available.has(n));
      results.push(missing.length ? { name: task.name, skipped: `needs ${missing.join(', ')}` } : await runTask(s, task));
    }
    const lists = await listCosts(s, seed);
    return { tasks: results, lists };
  } finally {
    await s.close();
  }
}
