/**
 * What kind of mailbox another mailbox is (OUTLOOK_ALLOW_SHARED_MAILBOXES), so a
 * person approving a send, the review card and ol_status can tell a shared
 * mailbox (support@, many people send from it) from another person's own
 * mailbox they are a delegate of. The fact comes from Graph, never from a
 * guess: `GET /users/{id}/mailboxSettings?$select=userPurpose` answers `user`,
 * `linked`, `shared`, `room`, `equipment` or `others` (mailboxSettings resource,
 * `userPurpose`, read-only). Graph often refuses that read to a delegated
 * sign-in for anyone else's mailbox (403 ErrorAccessDenied even with Full
 * Access; there is no `MailboxSettings.Read.Shared`), and then the label says
 * only what is known: another person's mailbox.
 *
 * Read at most once per mailbox per process (the runtime keeps one reader per
 * mailbox): a settled answer, including a refusal, is kept; a failure that may
 * pass (network, throttling, a cancelled call) is not.
 */
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import { cleanUntrusted } from '../text/untrusted.js';

/** What this server tells people about a mailbox that is not the signed-in person's own. */
export type MailboxKind = 'shared' | 'delegated' | 'room' | 'equipment' | 'unknown';

/** The words after the address wherever such a mailbox is shown ("From: support@… (shared mailbox)"). */
export function mailboxKindLabel(kind: MailboxKind): string {
  switch (kind) {
    case 'shared':
      return 'shared mailbox';
    case 'delegated':
      return "another person's own mailbox, as their delegate";
    case 'room':
      return 'room mailbox';
    case 'equipment':
      return 'equipment mailbox';
    default:
      return "another person's mailbox";
  }
}

/** `userPurpose` (Graph's `UserPurpose` enum; test/unit/mailbox-kind.test.ts checks it against the CSDL types) as a kind; a value Graph adds later is not guessed at. */
export function kindOfPurpose(purpose: string | null | undefined): MailboxKind {
  switch (purpose) {
    case 'shared':
      return 'shared';
    case 'user':
    case 'linked':
      return 'delegated';
    case 'room':
      return 'room';
    case 'equipment':
      return 'equipment';
    default:
      return 'unknown';
  }
}

/** Statuses that say the answer will not change within this process (refused, not found, bad request). */
const SETTLED = new Set([400, 401, 403, 404]);

/** The kind of the mailbox `graph` is bound to, read once. */
export class MailboxKindReader {
  private known: Promise<MailboxKind> | undefined;

  constructor(private readonly graph: GraphClient) {}

  /** The kind; 'unknown' when Graph does not say (the reason is not an error for the caller). */
  kind(signal?: AbortSignal): Promise<MailboxKind> {
    this.known ??= this.read(signal).catch((err: unknown) => {
      const settled = err instanceof GraphError && SETTLED.has(err.status);
      // Remember a refusal; a failure that may pass is asked again next time.
      if (!settled) this.known = undefined;
      return 'unknown' as const;
    });
    return this.known;
  }

  private async read(signal?: AbortSignal): Promise<MailboxKind> {
    const s = await this.graph.get<{ userPurpose?: string | null }>(this.graph.mailbox`/mailboxSettings`, { query: [['$select', 'userPurpose']], signal });
    return kindOfPurpose(typeof s.userPurpose === 'string' ? cleanUntrusted(s.userPurpose, 'label') : undefined);
  }
}
