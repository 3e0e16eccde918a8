/**
 * `npm run demo`: a scripted agent session on the sandbox mailbox, printed as
 * the agent sees it (the text content of each tool result), through a real
 * MCP client and server in one process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { startRuntime } from '../runtime.js';
import { createServerFactory } from '../mcp/server.js';
import { connectInProcess } from '../in-process.js';
import { formatCallResult } from './format.js';
import { formatInZone } from '../text/dates.js';
import { runDraftDemo } from '../drafts/demo.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { runConversations } from './demo-conversations.js';
import { tokenCounter } from './token-count.js';

/** Runs the walk-through and writes it to `out`. */
export async function runDemo(config: Config, out: (s: string) => void, logger: Logger): Promise<void> {
  // Drafts on, send off: the demo shows that preparing mail and meetings notifies nobody. Its state (draft
  // registry, audit log) goes to a throw-away folder: the demo mailbox is new on every run.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'outlook-mcp-demo-'));
  // The demo mailbox's owner works in Berlin (its mailboxSettings say so): times are shown in her zone, whatever this machine's is.
  const demoConfig = { ...config, sandbox: true, allowDrafts: true, allowSend: false, cacheDir: scratch, profileDir: path.join(scratch, config.profile), timeZone: 'Europe/Berlin' };
  const runtime = await startRuntime(demoConfig, { logger, ephemeralHandles: true });
  const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools), 'demo-agent');
  const zone = runtime.deps.config.timeZone;
  try {
    const call = async (title: string, name: string, args: Record<string, unknown>) => {
      out(`\n=== ${title}\n--> ${name} ${JSON.stringify(args)}\n`);
      const result = await session.client.callTool({ name, arguments: args });
      out(formatCallResult(result));
      return result;
    };
    const { tools } = await session.client.listTools();
    const tokens = await tokenCounter();
    out(`mcp-server-outlook demo: SANDBOX mailbox (fake Microsoft Graph on ${runtime.deps.config.graphUrl}); nothing real is read or sent.\n`);
    out(`The agent sees ${tools.length} tools (${tokens.count(JSON.stringify(tools))} ${tokens.unit} of tools/list): ${tools.map((t) => t.name).join(', ')}\n`);
    const { SEED_IDS, PEOPLE, createSeedClock } = await import('../sandbox/index.js');
    const clock = createSeedClock(new Date());
    await runConversations({
      call,
      out,
      tokens,
      graphRequests: () => runtime.sandbox?.requests.length ?? 0,
      friday: clock.weekDate(clock.proposalDay),
      monday: clock.weekDate(clock.proposalDay - 4),
      quietCall: (name, args) => session.client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
      proposalMessageId: SEED_IDS.proposalMessage,
      annaAddress: PEOPLE.anna.address,
    });
    out(`\n##### The rest of the tour\n`);

    await call('Who am I connected as?', 'ol_status', {});
    await call('Triage: the five newest unread messages', 'ol_email_list_unread', { limit: 5 });

    const found = await call('Find the suspicious invoice mail', 'ol_email_search', { query: 'subject:"Updated invoice details"', limit: 1 });
    const id = (found.structuredContent as { messages?: Array<{ id: string }> } | undefined)?.messages?.[0]?.id;
    if (id) {
      await call('Read it: hidden prompt-injection text and invisible characters are removed, the body is fenced as untrusted', 'ol_email_read', { id, include_attachments: true, max_chars: 1500 });
    }

    const today = new Date();
    const from = formatInZone(today, zone, 'date');
    const to = formatInZone(new Date(today.getTime() + 6 * 86_400_000), zone, 'date');
    await call("This week's calendar", 'ol_calendar_list_events', { from_date: from, to_date: to, limit: 15 });
    await call('Search mail with attachments about invoices', 'ol_email_search', { query: 'invoice', has_attachment: true, limit: 5 });
    await call('A mistake the agent can recover from', 'ol_calendar_list_events', { from_date: '2025-02-30', to_date: to });

    if (runtime.sandbox) {
      const nextWeek = formatInZone(new Date(today.getTime() + 7 * 86_400_000), zone, 'date');
      const { SEED_IDS } = await import('../sandbox/index.js');
      await runDraftDemo(call, out, runtime.sandbox, SEED_IDS.threadWithHistory, nextWeek);
    }
    const notified = runtime.sandbox?.notifications.length ?? 0;
    // getSchedule is a POST that only reads free/busy.
    const writes = runtime.sandbox?.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/getSchedule')).length ?? 0;
    out(`\n=== Safety check from the sandbox's own request log\n${runtime.sandbox?.requests.length ?? 0} Graph requests, ${writes} of them writes (drafts only); ${notified} notifications to anyone.\n`);
  } finally {
    await session.close();
    await runtime.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
