import type { Config } from './config/config.js';
import type { GraphClient } from './graph/client.js';
import type { HandleStore } from './handles/handle-store.js';
import type { MailService } from './services/mail.js';
import type { CalendarService } from './services/calendar.js';
import type { FolderService } from './services/folders.js';
import type { Logger } from './log.js';

/**
 * Everything a tool handler may use, built once per server and passed in (no
 * module-level state), so tests build the same server around a sandbox.
 */
export interface ServerDeps {
  readonly config: Config;
  readonly graph: GraphClient;
  readonly handles: HandleStore;
  readonly mail: MailService;
  readonly calendar: CalendarService;
  readonly folders: FolderService;
  /** `static (OUTLOOK_ACCESS_TOKEN)`, `sandbox`, … */
  readonly tokenSource: string;
  readonly now: () => Date;
  readonly logger: Logger;
}
