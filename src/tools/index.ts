/**
 * Every tool in one flat list. The server registers the subset the
 * configuration allows (`toolsFor`); nothing else decides what is exposed.
 */
import type { Config } from '../config/config.js';
import type { ToolDef } from './define.js';
import { emailSearch } from './email/search.js';
import { emailListUnread } from './email/list-unread.js';
import { emailRead } from './email/read.js';
import { emailGetAttachment } from './email/get-attachment.js';
import { emailListFolders } from './email/list-folders.js';
import { calendarListEvents } from './calendar/list-events.js';
import { calendarSearch } from './calendar/search.js';
import { calendarGetEvent } from './calendar/get-event.js';
import { status } from './account/status.js';
import { DRAFT_TOOLS, SEND_TOOLS } from './drafts/index.js';
import { loginBegin } from './account/login-begin.js';
import { loginStatus } from './account/login-status.js';

export const ALL_TOOLS: readonly ToolDef[] = [
  emailSearch,
  emailListUnread,
  emailRead,
  emailGetAttachment,
  emailListFolders,
  calendarListEvents,
  calendarSearch,
  calendarGetEvent,
  status,
  loginBegin,
  loginStatus,
  ...DRAFT_TOOLS,
  ...SEND_TOOLS,
] as unknown as readonly ToolDef[];

/** The tools this configuration exposes. */
export function toolsFor(config: Pick<Config, 'allowDrafts' | 'allowSend' | 'authMode'>, all: readonly ToolDef[] = ALL_TOOLS): ToolDef[] {
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
