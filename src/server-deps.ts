import type { Config } from './config/config.js';
import type { GraphClient } from './graph/client.js';
import type { HandleStore } from './handles/handle-store.js';
import type { MailService } from './services/mail.js';
import type { CalendarService } from './services/calendar.js';
import type { FreeTimeService } from './services/free-time.js';
import type { ThreadService } from './services/thread.js';
import type { PeopleService } from './services/people.js';
import type { WhatsNewService } from './services/whats-new.js';
import type { FolderService } from './services/folders.js';
import type { CursorStore } from './services/cursor.js';
import type { Logger } from './log.js';
import type { AuthService } from './auth/setup.js';
import type { DraftDeps } from './services/draft-services.js';
import type { AuditLog, WriteTrace } from './audit/audit-log.js';
import type { StateStore } from './state/ports.js';
import type { GroupConversationService } from './services/group-conversations.js';
import type { MailboxKindReader } from './services/mailbox-kind.js';

/**
 * Everything a tool handler may use (the draft services only when drafts are enabled), built once per server and passed in (no
 * module-level state), so tests build the same server around a sandbox.
 */
export interface ServerDeps extends Partial<DraftDeps> {
  readonly config: Config;
  readonly graph: GraphClient;
  readonly handles: HandleStore;
  readonly mail: MailService;
  readonly calendar: CalendarService;
  readonly freeTime: FreeTimeService;
  readonly threads: ThreadService;
  readonly people: PeopleService;
  readonly whatsNew: WhatsNewService;
  readonly folders: FolderService;
  /** The profile's paging cursors (short handles for nextLinks); optional so hand-built deps keep working. */
  readonly cursors?: CursorStore;
  /** `static (OUTLOOK_ACCESS_TOKEN)`, `sandbox`, … at start-up (`auth.tokens.source` is current). */
  readonly tokenSource: string;
  /** Sign-in: token provider, device-code login, requested scopes. Optional so hand-built deps keep working. */
  readonly auth?: AuthService;
  readonly now: () => Date;
  readonly logger: Logger;
  /** The profile's audit.jsonl; optional so hand-built deps keep working (no audit lines then). */
  readonly auditLog?: AuditLog;
  /** Collects the Graph request-ids of the call in progress (wired to the Graph client's onWrite). */
  readonly writeTrace?: WriteTrace;
  /** The profile's state store (every port); optional so hand-built deps keep working. */
  readonly state?: StateStore;
  /**
   * The same dependencies bound to another mailbox (address already checked, lower-cased): its own Graph
   * root, handles and drafts. Present only with OUTLOOK_ALLOW_SHARED_MAILBOXES=true.
   */
  readonly forMailbox?: (address: string) => ServerDeps;
  /** Set on deps made by {@link forMailbox}: the mailbox they are bound to. */
  readonly mailboxAddress?: string;
  /**
   * The same dependencies bound to a Microsoft 365 group's conversations (`group:<id or address>`; an address
   * is looked up once per process). Present only with OUTLOOK_ALLOW_GROUP_MAILBOXES=true.
   */
  readonly forGroup?: (value: string, signal?: AbortSignal) => Promise<ServerDeps>;
  /** Set on deps made by {@link forGroup}: that group's conversations, read-only. */
  readonly groupConversations?: GroupConversationService;
  /** Whether that mailbox (or a default mailbox that is someone else's) is shared or delegated, read once from Graph. */
  readonly mailboxKind?: MailboxKindReader;
}
