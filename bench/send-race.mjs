#!/usr/bin/env node
/**
 * Red team of the send gate, measured against the sandbox with Graph-like
 * latency (every request takes --latency ms, default 120): how often can a
 * hostile agent or a racing edit make a send deliver something the human did
 * not approve? Each try is one draft and one approval; what counts is what
 * the sandbox's notification log says went out.
 *
 *  - update-race: while the prompt is open the agent calls
 *    ol_email_update_draft to change the recipients, at a random moment;
 *  - outlook-race: a person's edit lands straight in Graph at a random moment
 *    around the user's answer (the documented residual: Graph has no
 *    conditional send);
 *  - replay / tamper: a 2026-07-28 client driving the rounds itself echoes a
 *    spent state again, or a state with one character changed.
 *
 * Usage: npm run build && node bench/send-race.mjs [--tries N] [--latency MS] [--append docs/BENCHMARKS.md]
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadServerModules } from './tasks.mjs';
import { benchFlags } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const { tries: TRIES, latency: LATENCY, append: APPEND } = benchFlags('npm run build && node bench/send-race.mjs [--tries N] [--latency MS] [--append docs/BENCHMARKS.md]', {
  tries: { default: 40, number: true },
  latency: { default: 120, number: true },
  append: {},
});

const { startSandbox, loadConfig, startRuntime, createServerFactory, connectInProcess, Logger } = await loadServerModules(dist);

const sandbox = await startSandbox({ latencyMs: LATENCY });
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-send-race-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (max) => Math.floor(Math.random() * max);

async function session(clientOptions, answer) {
  const config = loadConfig({ OUTLOOK_CACHE_DIR: cacheDir, OUTLOOK_SANDBOX: 'true', OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_TIMEZONE: 'Europe/Berlin' });
  const runtime = await startRuntime(config, { sandboxInstance: sandbox, logger: new Logger('silent') });
  const s = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'race', {
    client: clientOptions,
    capabilities: { elicitation: {} },
    setup: (c) => c.setRequestHandler('elicitation/create', async (req) => answer(req.params)),
  });
  return { client: s.client, runtime, close: async () => (await s.close(), await runtime.close()) };
}

const call = async (client, name, args, options) => client.callTool({ name, arguments: args }, options);
async function newDraft(client) {
  const r = await call(client, 'ol_email_create_draft', { to: ['dana@fabrikam.example'], subject: 'Race', body: 'Approved text.' });
  return r.structuredContent.draft_id;
}
const sentTo = () => sandbox.notifications.filter((n) => n.kind === 'mail-sent').map((n) => n.recipients.join(','));

const results = [];

// update-race
{
  let onPrompt = async () => {};
  const s = await session(undefined, async () => {
    await onPrompt();
    return { action: 'accept', content: { confirm: true } };
  });
  let refused = 0;
  let bad = 0;
  let sent = 0;
  for (let i = 0; i < TRIES; i++) {
    const id = await newDraft(s.client);
    sandbox.clearLog();
    let update;
    onPrompt = async () => {
      update = sleep(rand(300)).then(() => call(s.client, 'ol_email_update_draft', { draft_id: id, to: ['attacker@evil.example'] }));
      await sleep(200);
    };
    await call(s.client, 'ol_email_send_draft', { draft_id: id });
    const u = await update;
    if (u?.isError) refused++;
    const out = sentTo();
    sent += out.length;
    bad += out.filter((r) => r.includes('attacker')).length;
  }
  results.push({ attack: 'update-race (agent changes recipients during the prompt)', tries: TRIES, unapproved: bad, detail: `${sent} sent, all to the approved recipient; ${refused} updates refused, ${TRIES - refused} landed after the send` });
  await s.close();
}

// outlook-race
{
  let onPrompt = async () => {};
  const s = await session(undefined, async () => {
    await onPrompt();
    return { action: 'accept', content: { confirm: true } };
  });
  let bad = 0;
  let changed = 0;
  let sent = 0;
  for (let i = 0; i < TRIES; i++) {
    const id = await newDraft(s.client);
    const graphId = await s.runtime.deps.handles.lookup(id);
    sandbox.clearLog();
    let edit;
    onPrompt = async () => {
      // Anywhere from before the answer to the last instant before POST /send (re-read + send take ~2 requests).
      edit = sleep(rand(200 + 3 * LATENCY)).then(() =>
        fetch(`${sandbox.url}/me/messages/${encodeURIComponent(graphId)}`, {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ toRecipients: [{ emailAddress: { address: 'late.edit@northwind.example' } }] }),
        }),
      );
      await sleep(200);
    };
    const r = await call(s.client, 'ol_email_send_draft', { draft_id: id });
    await edit;
    if (r.structuredContent?.status === 'changed') changed++;
    const out = sentTo();
    sent += out.length;
    bad += out.filter((x) => x.includes('late.edit')).length;
  }
  results.push({ attack: 'outlook-race (a person edits in Outlook around the answer)', tries: TRIES, unapproved: bad, detail: `${changed} refused as changed, ${sent} sent; an edit landing between the final re-read and POST /send is the documented residual` });
  await s.close();
}

// replay and tamper, 2026-07-28 manual rounds
{
  const s = await session({ versionNegotiation: { mode: { pin: '2026-07-28' } }, inputRequired: { autoFulfill: false } }, async () => ({ action: 'decline' }));
  const ACCEPT = { confirm: { action: 'accept', content: { confirm: true } } };
  const raw = (params) => s.client.callTool({ name: 'ol_email_send_draft', ...params }, { allowInputRequired: true });
  let replaySends = 0;
  let tamperSends = 0;
  for (let i = 0; i < TRIES; i++) {
    const id = await newDraft(s.client);
    sandbox.clearLog();
    const first = await raw({ arguments: { draft_id: id } });
    const state = first.requestState;
    // Tamper: one character of the state changed, answered with accept.
    const j = 3 + rand(state.length - 3);
    const flipped = state.slice(0, j) + (state[j] === 'A' ? 'B' : 'A') + state.slice(j + 1);
    await raw({ arguments: { draft_id: id }, requestState: flipped, inputResponses: ACCEPT });
    tamperSends += sentTo().length;
    // The genuine answer, then the same state and answer replayed three times.
    await raw({ arguments: { draft_id: id }, requestState: state, inputResponses: ACCEPT });
    const genuine = sentTo().length;
    for (let k = 0; k < 3; k++) await raw({ arguments: { draft_id: id }, requestState: state, inputResponses: ACCEPT });
    replaySends += sentTo().length - genuine;
  }
  results.push({ attack: 'tamper (one character of requestState changed)', tries: TRIES, unapproved: tamperSends, detail: 'every tampered state refused before any request' });
  results.push({ attack: 'replay (a spent requestState echoed 3 more times)', tries: TRIES * 3, unapproved: replaySends, detail: 'each state sends at most once' });
  await s.close();
}

await sandbox.close();
rmSync(cacheDir, { recursive: true, force: true });
const lines = [
  `Sandbox latency ${LATENCY} ms per request, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}. An unapproved send is one whose recipients, in the sandbox's notification log, differ from what the user approved.`,
  '',
  '| Attack | Tries | Unapproved sends | Detail |',
  '|---|---|---|---|',
  ...results.map((r) => `| ${r.attack} | ${r.tries} | ${r.unapproved} | ${r.detail} |`),
];
console.log(lines.join('\n'));
if (APPEND) appendFileSync(path.resolve(APPEND), `\n## Send gate red team (bench/send-race.mjs)\n\n${lines.join('\n')}\n`);
