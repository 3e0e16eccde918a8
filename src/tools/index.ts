/**
 * Every tool in flat lists. The server registers the subset the configuration
 * allows (`toolsFor`); nothing else decides what is exposed. The draft and
 * send tools (and the services behind them) are loaded only when drafts are
 * enabled: a read-only server does not pay their start-up time.
 */
import type { Config } from '../config/config.js';
import { turnOn } from '../config/advice.js';
import type { ToolDef } from './define.js';
import { emailSearch } from './email/search.js';
import { emailListUnread } from './email/list-unread.js';
import { emailWhatsNew } from './email/whats-new.js';
import { emailRead } from './email/read.js';
import { emailReadThread } from './email/read-thread.js';
import { emailGetAttachment } from './email/get-attachment.js';
import { emailReadAttachment } from './email/read-attachment.js';
import { emailListFolders } from './email/list-folders.js';
import { calendarListEvents } from './calendar/list-events.js';
import { calendarSearch } from './calendar/search.js';
import { calendarGetEvent } from './calendar/get-event.js';
import { calendarFindFreeTime } from './calendar/find-free-time.js';
import { peopleSearch } from './people/search.js';
import { status } from './account/status.js';
import { loginBegin } from './account/login-begin.js';
import { loginStatus } from './account/login-status.js';

/** The tools that need no drafts: reading, status and sign-in. */
export const CORE_TOOLS: readonly ToolDef[] = [
  emailSearch,
  emailListUnread,
  emailWhatsNew,
  emailRead,
  emailReadThread,
  emailGetAttachment,
  emailReadAttachment,
  emailListFolders,
  calendarListEvents,
  calendarSearch,
  calendarGetEvent,
  calendarFindFreeTime,
  peopleSearch,
  status,
  loginBegin,
  loginStatus,
] as unknown as readonly ToolDef[];

/** The draft and send tools (gated on OUTLOOK_ALLOW_DRAFTS / OUTLOOK_ALLOW_SEND), imported on demand. */
export async function loadDraftTools(): Promise<readonly ToolDef[]> {
  const { DRAFT_TOOLS, SEND_TOOLS } = await import('./drafts/index.js');
  return [...DRAFT_TOOLS, ...SEND_TOOLS];
}

/** Every tool, whatever the configuration: for inventories, snapshots and the schema build. */
export async function allTools(): Promise<readonly ToolDef[]> {
  return [...CORE_TOOLS, ...(await loadDraftTools())];
}

/** The tools this configuration exposes. */
export function toolsFor(config: Pick<Config, 'allowDrafts' | 'allowSend' | 'authMode'>, all: readonly ToolDef[]): ToolDef[] {
  return all.filter((t) => {
    switch (t.gate) {
      case 'always':
        return true;
      case 'delegated':
        return config.authMode === 'delegated';
      case 'drafts':
        return config.allowDrafts;
      case 'send':
        return config.allowDrafts && config.allowSend;
    }
  });
}

/** Why a tool that exists is not exposed by `config`, naming the setting that turns it on. */
export function switchedOffReason(tool: Pick<ToolDef, 'name' | 'gate'>, config: Pick<Config, 'allowDrafts' | 'allowSend' | 'authMode' | 'bundle'>): string {
  switch (tool.gate) {
    case 'drafts':
      return `${tool.name} is switched off. ${turnOn(config, 'OUTLOOK_ALLOW_DRAFTS')} to turn on the draft tools (they only save drafts; nothing is sent).`;
    case 'send':
      return config.allowDrafts
        ? `${tool.name} is switched off. ${turnOn(config, 'OUTLOOK_ALLOW_SEND')} to turn it on (the user still approves every send).`
        : `${tool.name} is switched off. ${turnOn(config, 'OUTLOOK_ALLOW_DRAFTS', 'OUTLOOK_ALLOW_SEND')} to turn it on (the user still approves every send).`;
    case 'delegated':
      return config.authMode === 'obo'
        ? `${tool.name} is for signing in on this machine; in remote mode each person signs in through their MCP client (OAuth), so there is nothing to sign in here.`
        : `${tool.name} is for signing in as a person; this configuration uses service-principal mode. Unset OUTLOOK_AUTH_MODE and OUTLOOK_CLIENT_SECRET to use it.`;
    case 'always':
      return `${tool.name} is available in every configuration.`;
  }
}
