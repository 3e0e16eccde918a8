#!/usr/bin/env node
/**
 * Benchmarks, measured side by side in one run (never as timed unit tests):
 *  1. start-up to first tools/list over stdio: this server vs a one-tool server on the same SDK;
 *  2. ol_email_list_unread (50 messages) call latency vs a direct fetch of the same sandbox data;
 *  3. tools/list size in bytes and tokens;
 *  4. tokens per listed message;
 *  5. tokens per listed row of every list tool, the drafts surface's tools/list, and scripted agent
 *     tasks against a passthrough baseline (bench/tasks.mjs).
 * Tokens are counted with the o200k_base encoding (gpt-tokenizer).
 *
 * Usage: node bench/run.mjs [--runs N] [--calls N] [--write docs/BENCHMARKS.md]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { loadServerModules, runTaskBench } from './tasks.mjs';
import { benchFlags, median, percentile } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const { runs: RUNS, calls: CALLS, write: WRITE } = benchFlags('node bench/run.mjs [--runs 15] [--calls 200] [--write docs/BENCHMARKS.md]', {
  runs: { default: 15, number: true },
  calls: { default: 200, number: true },
  write: {},
});
const tokens = (s) => encode(s).length;
const f1 = (n) => n.toFixed(1);

const { startSandbox, loadConfig, startRuntime, createServerFactory, connectInProcess, Logger } = await loadServerModules(dist);

const sandbox = await startSandbox();
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-bench-'));

/** Spawns a stdio server and measures spawn → first tools/list answered. */
async function startupOnce(command, argv, env) {
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command, args: argv, env: { ...process.env, ...env }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const ms = performance.now() - t0;
  await client.close();
  return { ms, tools: tools.length };
}

// 1. Start-up. Live mode (static token), so the fake Graph is not part of the cost; the sandbox mode is reported too.
const liveEnv = { OUTLOOK_ACCESS_TOKEN: sandbox.token, OUTLOOK_GRAPH_URL: sandbox.url, OUTLOOK_CACHE_DIR: cacheDir };
const ours = [];
const oursSandbox = [];
const baseline = [];
for (let i = 0; i < RUNS + 1; i++) {
  // Alternate so that machine noise hits all sides alike; the first round warms the file cache and is dropped.
  const a = await startupOnce(process.execPath, [dist('bin/main.js')], liveEnv);
  const b = await startupOnce(process.execPath, [path.join(root, 'bench', 'one-tool-server.mjs')], {});
  const c = await startupOnce(process.execPath, [dist('bin/main.js'), '--sandbox'], { OUTLOOK_CACHE_DIR: cacheDir });
  if (i === 0) continue;
  ours.push(a.ms);
  baseline.push(b.ms);
  oursSandbox.push(c.ms);
}

// 2. Tool-call overhead: the same 50 unread inbox messages through the server vs a direct fetch.
const config = loadConfig({ OUTLOOK_SANDBOX: 'true', OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_TIMEZONE: 'Europe/Berlin' });
const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: new Logger('silent') });
const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'bench');
const directUrl =
  `${sandbox.url}/me/mailFolders/inbox/messages?$filter=${encodeURIComponent('receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false')}` +
  `&$orderby=${encodeURIComponent('receivedDateTime desc')}&$top=50&$select=id,subject,from,receivedDateTime,isRead,hasAttachments,importance,flag`;
const direct = async () => {
  const r = await fetch(directUrl, { headers: { Authorization: `Bearer ${sandbox.token}`, Prefer: 'IdType="ImmutableId"' } });
  const body = await r.json();
  if (!Array.isArray(body.value) || body.value.length !== 50) throw new Error('direct fetch did not return 50 messages');
};
const viaTool = async () => {
  const r = await session.client.callTool({ name: 'ol_email_list_unread', arguments: { limit: 50 } });
  if (r.isError || r.structuredContent.messages.length !== 50) throw new Error('tool call did not return 50 messages');
  return r;
};
for (let i = 0; i < 20; i++) {
  await direct();
  await viaTool();
}
const tDirect = [];
const tTool = [];
let lastResult;
for (let i = 0; i < CALLS; i++) {
  let t = performance.now();
  await direct();
  tDirect.push(performance.now() - t);
  t = performance.now();
  lastResult = await viaTool();
  tTool.push(performance.now() - t);
}

// 3. tools/list size, default (read-only) surface.
const { tools } = await session.client.listTools();
const toolsJson = JSON.stringify(tools);

// 4. Tokens per listed message (what the model reads: the text content; the structured JSON too).
const text = lastResult.content.map((c) => c.text ?? '').join('\n');
const structured = JSON.stringify(lastResult.structuredContent);

await session.close();
await runtime.close();
await sandbox.close();
rmSync(cacheDir, { recursive: true, force: true });

// 5. Per-row costs of every list, the drafts surface, and the agent tasks (their own sandbox and server).
const taskBench = await runTaskBench(dist);

const r = {
  startup: { ours: median(ours), baseline: median(baseline), sandbox: median(oursSandbox) },
  call: { tool: median(tTool), direct: median(tDirect), toolP90: percentile(tTool, 90), directP90: percentile(tDirect, 90) },
  toolsList: { tools: tools.length, bytes: Buffer.byteLength(toolsJson), tokens: tokens(toolsJson) },
  perMessage: { text: tokens(text) / 50, structured: tokens(structured) / 50 },
};
const ratio = r.startup.ours / r.startup.baseline;
const overhead = r.call.tool - r.call.direct;
const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');

const report = `# Benchmarks

Measured by \`npm run bench\` (\`bench/run.mjs\`) on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
All numbers come from one run with the compared sides interleaved; medians unless stated. Tokens: o200k_base (gpt-tokenizer).

| What | Ours | Compared with | Result | Target |
|---|---|---|---|---|
| Start-up to first \`tools/list\` over stdio (median of ${RUNS}) | ${f1(r.startup.ours)} ms | one-tool server on the same SDK: ${f1(r.startup.baseline)} ms | ratio ${ratio.toFixed(2)} | ≤ 1.3 (${verdict(ratio <= 1.3)}) |
| Same, \`--sandbox\` (starts the fake Graph and seeds it) | ${f1(r.startup.sandbox)} ms | | | informational |
| \`ol_email_list_unread\` (50 messages) p50 over ${CALLS} calls | ${f1(r.call.tool)} ms (p90 ${f1(r.call.toolP90)}) | direct \`fetch\` of the same sandbox data: ${f1(r.call.direct)} ms (p90 ${f1(r.call.directP90)}) | overhead ${f1(overhead)} ms | ≤ 5 ms (${verdict(overhead <= 5)}) |
| \`tools/list\`, default read-only surface (${r.toolsList.tools} tools) | ${r.toolsList.bytes} bytes, ${r.toolsList.tokens} tokens | | | ≤ 3,000 tokens (${verdict(r.toolsList.tokens <= 3000)}) |
| Tokens per listed message, text content (\`ol_email_list_unread\`, 50) | ${f1(r.perMessage.text)} | | | ≤ 80 (${verdict(r.perMessage.text <= 80)}) |
| Tokens per listed message, structuredContent JSON | ${f1(r.perMessage.structured)} | | | ≤ 80 (${verdict(r.perMessage.structured <= 80)}) |

How it is measured:
- Start-up spawns the package's binary \`node dist/bin/main.js\` (live mode with a static token; no Graph request is needed for \`tools/list\`) and
  \`bench/one-tool-server.mjs\` through the SDK's stdio client, alternating, and times spawn → \`tools/list\` answered. The first round is discarded as warm-up.
- The call benchmark runs the real server in-process (in-memory MCP transport) against the sandbox on loopback, so the
  difference to a direct \`fetch\` of the identical Graph request is our overhead: MCP framing, zod validation, shaping, short handles.
- Start-up work deferred or removed from the path to the first \`tools/list\`: the binary is an esbuild bundle of our
  code (dependencies external, on-demand parts as separate chunks), tool JSON Schemas are precomputed at build time,
  the draft/send tools and services load only with \`OUTLOOK_ALLOW_DRAFTS=true\`, and the HTML parser, MSAL, the
  keyring, the lock library, the MCP client, the sandbox and the system time zone (ICU) load on first use.
- Ids in lists are 8-character handles (stable per profile; full Graph ids are still accepted), which is why a listed message costs
  tens of tokens instead of the ~110 a Graph id alone would.

## Tokens per listed row

What one row of each list costs the model, over the seeded sandbox data (text content; structuredContent JSON beside it).
Target for calendar rows (\`ol_calendar_list_events\`, \`ol_calendar_search\`): ≤ 60 tokens per event on average over the seeded week.

| List | Over | Rows | Tokens per row (text) | Tokens per row (structured JSON) | Target |
|---|---|---|---|---|---|
${taskBench.lists.rows
  .map((l) => {
    const target = l.name.startsWith('ol_calendar_') ? `≤ 60 (${verdict(l.text <= 60)})` : '';
    return `| \`${l.name}\` | ${l.what} | ${l.rows} | ${f1(l.text)} | ${f1(l.structured)} | ${target} |`;
  })
  .join('\n')}

Events in lists carry time, subject, location, organizer, the user's response, show-as, flags (all day, cancelled,
recurring, online) and the attendee count with up to three names; every attendee (address and response) and the join
link are in \`ol_calendar_get_event\`. The Teams placeholder location "Microsoft Teams Meeting" is folded into the
\`online\` flag.

\`tools/list\` with drafts on (\`OUTLOOK_ALLOW_DRAFTS=true\`, ${taskBench.lists.toolCount} tools): ${taskBench.lists.toolsListTokens} tokens (target ≤ 4,500: ${verdict(taskBench.lists.toolsListTokens <= 4500)}).

## Agent tasks against a passthrough baseline

Scripted agent tasks on the sandbox (\`bench/tasks.mjs\`): each is the sequence of tool calls an agent makes, later
calls using ids that earlier ones returned. "Model reads" is the text content of every tool result. The passthrough
baselines are what a generic Graph-proxy server would hand the model as raw JSON for the same task: *same responses*
is the JSON of the very requests this server made (with its \`$select\`s and text-body preference: a floor no generic
server goes below), *generic* is the same reads without \`$select\` and with Graph's default HTML bodies (what a server
that passes requests through gets back). Target: ≥ 10× fewer tokens than the passthrough.

| Task | Tool calls | Graph requests | Model reads (tokens) | Passthrough, same responses | Passthrough, generic | Ratio vs generic |
|---|---|---|---|---|---|---|
${taskBench.tasks
  .map((t) =>
    t.skipped
      ? `| ${t.name} | skipped: ${t.skipped} | | | | | |`
      : `| ${t.name} | ${t.calls} | ${t.graphRequests} | ${t.tokens} | ${t.same} (${f1(t.sameRatio)}×) | ${t.generic} | ${f1(t.genericRatio)}× (${verdict(t.genericRatio >= 10)}) |`,
  )
  .join('\n')}

Against the *same responses* the ratio is bounded below by what any compact list costs: a listed message is ~58 tokens
here against ~225 for its narrowed Graph JSON (ids of ~150 characters, property names, nesting), so list-heavy tasks
reach 3–6× and read-heavy ones 10× and more (hidden HTML, quoted history and JSON escaping are removed).
`;

process.stdout.write(report);
if (WRITE) writeFileSync(path.resolve(WRITE), report);
