/**
 * The seed's two example conversations, scripted end to end for
 * `npm run demo`: (1) "Read Anna's mail and check my Friday calendar":
 * triage, read, find free time with her proposal checked in one call;
 * (2) "Propose times and draft the reply": look Anna up, read the thread,
 * save a reply draft. Each step shows the tool call, what the agent reads,
 * its token count and the Graph requests it cost.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { TokenCounter } from './token-count.js';

export type ConversationCall = (title: string, name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** What the script needs from its surroundings. */
export interface ConversationContext {
  call: ConversationCall;
  out: (s: string) => void;
  tokens: TokenCounter;
  /** The Graph request count so far (the sandbox's log). */
  graphRequests: () => number;
  /** The demo's "Friday" (`YYYY-MM-DD`), the day of Anna's proposal, and the Monday of its week. */
  friday: string;
  monday: string;
  /** A call whose output is not printed. */
  quietCall: (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;
  /** Anna's proposal message and her address. */
  proposalMessageId: string;
  annaAddress: string;
}

function textOf(r: CallToolResult): string {
  return (r.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** Runs both conversations; returns the tokens the agent read in each. */
export async function runConversations(ctx: ConversationContext): Promise<{ first: number; second: number }> {
  const { out, tokens } = ctx;
  let total = 0;
  const step = async (title: string, name: string, args: Record<string, unknown>) => {
    const before = ctx.graphRequests();
    const r = await ctx.call(title, name, args);
    const n = tokens.count(textOf(r));
    total += n;
    out(`[${n} ${tokens.unit}; ${ctx.graphRequests() - before} Graph request(s)]\n`);
    return r;
  };

  out(`\n##### Conversation 1 — "Read Anna's mail and check my Friday calendar"\n`);
  total = 0;
  await step("Triage: what arrived in the inbox since the agent last looked", 'ol_email_whats_new', { limit: 8 });
  await step("Read Anna's mail", 'ol_email_read', { id: ctx.proposalMessageId, max_chars: 1500 });
  await step('Check her proposal against both calendars, in one call', 'ol_calendar_find_free_time', {
    attendees: [ctx.annaAddress],
    proposed_start: `${ctx.friday}T14:00`,
    proposed_end: `${ctx.friday}T15:00`,
  });
  const first = total;
  out(`\nAgent: Anna proposes Fri 14:00–15:00. You have a hard conflict 14:30–15:30 with the Customer Y review. Suggest 13:00 or after 16:00.\n`);
  out(`Conversation 1: ${first} ${tokens.unit} of tool results.\n`);
  // The way an agent had to do it before: list the week and work out free time itself (and still not see Anna's calendar).
  const week = await ctx.quietCall('ol_calendar_list_events', { from_date: ctx.monday, to_date: ctx.friday, limit: 100 });
  const events = (week.structuredContent as { events?: unknown[] } | undefined)?.events?.length ?? 0;
  out(`For comparison, listing that week's ${events} events instead costs ${tokens.count(textOf(week))} ${tokens.unit}, without Anna's free/busy.\n`);

  out(`\n##### Conversation 2 — "Propose 13:00 or 16:00 and draft the reply"\n`);
  total = 0;
  await step("Anna's address, for the reply", 'ol_people_search', { query: 'Anna', limit: 3 });
  await step('The whole thread, oldest first, without quoted history', 'ol_email_read_thread', { id: ctx.proposalMessageId, max_chars: 4000 });
  await step('Save the reply as a draft in the thread (the user sends it)', 'ol_email_create_draft', {
    in_reply_to: ctx.proposalMessageId,
    body: 'Hi Anna,\n\nFriday 14:00 clashes with the Customer Y review (14:30–15:30). Could we do **13:00–14:00** or **16:00–17:00** instead?\n\nThanks,\nAvery',
  });
  const second = total;
  out(`Conversation 2: ${second} ${tokens.unit} of tool results.\n`);
  return { first, second };
}
