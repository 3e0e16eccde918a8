/**
 * The `mailbox` argument (OUTLOOK_ALLOW_SHARED_MAILBOXES): added by the
 * adapter to every tool marked `mailbox: true`, so the tools themselves stay
 * unaware of it and the schemas without the opt-in are exactly as before.
 * The adapter takes the argument off, checks it (address syntax, the
 * OUTLOOK_SHARED_MAILBOXES list) and runs the tool on dependencies bound to
 * that mailbox (`ServerDeps.forMailbox`). Without the opt-in a `mailbox`
 * argument is refused before any request, naming the setting.
 *
 * `mailbox: "group:<id or address>"` (OUTLOOK_ALLOW_GROUP_MAILBOXES) names a
 * Microsoft 365 group instead: the tool's own `group` handler runs on the
 * group's dependencies (`ServerDeps.forGroup`); a tool without one (every
 * write, and the reads with no group counterpart) refuses it before any
 * request. With only the group opt-in, only the tools that read groups carry
 * the argument, so tools/list grows by those two and nothing else.
 */
import { z } from 'zod';
import { mailboxAddressProblem } from '../config/config.js';
import { UserFacingError } from '../errors.js';
import { GraphAuthError, GraphError } from '../graph/errors.js';
import type { ServerDeps } from '../server-deps.js';
import type { Config } from '../config/config.js';
import { namesGroup } from '../services/group-directory.js';
import type { ToolDef } from './tool.js';
import { HandleStore } from '../handles/handle-store.js';
import { storedIdIs, storedMailboxRoot } from '../state/mailbox-scope.js';

export const MAILBOX_ARGUMENT = 'mailbox';

/** Kept short: every tool that reads mail or calendars carries it, and each word is paid on every tools/list. */
export const mailboxArg = z.string().min(3).max(254).optional().describe('address of a shared or delegated mailbox; default: own');
/** The argument of a tool that also reads group conversations, with shared mailboxes on as well. */
const mailboxOrGroupArg = z.string().min(3).max(254).optional().describe('shared or delegated mailbox address, or group:<id or address>; default: own');
/** The argument of a tool that reads group conversations when only OUTLOOK_ALLOW_GROUP_MAILBOXES is on. */
const groupOnlyArg = z.string().min(3).max(254).optional().describe('M365 group:<id or address>; default: own mailbox');

/** Whether this configuration gives `tool` the `mailbox` argument: shared mailboxes on, or groups on and the tool reads them. */
export function carriesMailboxArgument(tool: Pick<ToolDef, 'mailbox' | 'group'>, config: Pick<Config, 'allowSharedMailboxes' | 'allowGroupMailboxes'>): boolean {
  return tool.mailbox === true && (config.allowSharedMailboxes === true || (config.allowGroupMailboxes === true && tool.group !== undefined));
}

/** The `mailbox` argument's schema for `tool` under this configuration (it says `group:` only where a group is accepted). */
export function mailboxArgFor(tool: Pick<ToolDef, 'group'>, config: Pick<Config, 'allowSharedMailboxes' | 'allowGroupMailboxes'>): typeof mailboxArg {
  if (config.allowGroupMailboxes !== true || tool.group === undefined) return mailboxArg;
  return config.allowSharedMailboxes ? mailboxOrGroupArg : groupOnlyArg;
}

/** A `mailbox` argument this configuration does not accept. */
export class MailboxArgumentError extends UserFacingError {
  override name = 'MailboxArgumentError';
  constructor(message: string) {
    super('mailbox_refused', message);
  }
}

/** Graph refused the named mailbox (403): which mailbox, and what access is missing. */
export class MailboxAccessError extends UserFacingError {
  override name = 'MailboxAccessError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('mailbox_access_denied', message, options);
  }
}

/** The refusal of a `mailbox` argument the tool does not carry under this configuration (checked before the tool's own validation). */
export function refuseWithoutOptIn(toolName: string, config: Pick<Config, 'allowGroupMailboxes'> = {}, write = false): (value: unknown) => string | undefined {
  return (value) => {
    if (value === null || typeof value !== 'object' || !(MAILBOX_ARGUMENT in value)) return undefined;
    const named = (value as Record<string, unknown>)[MAILBOX_ARGUMENT];
    if (named == null) return undefined;
    if (namesGroup(named)) return config.allowGroupMailboxes ? groupNotServed(toolName, write) : groupsSwitchedOff(toolName);
    return `${toolName}: the mailbox argument is switched off, so this call was not made. Other people's and shared mailboxes need OUTLOOK_ALLOW_SHARED_MAILBOXES=true in the server's configuration (and Full Access or delegate rights in Exchange); leave mailbox out to use your own.`;
  };
}

function groupsSwitchedOff(toolName: string): string {
  return `${toolName}: group conversations are switched off, so this call was not made. Reading a Microsoft 365 group's conversations needs OUTLOOK_ALLOW_GROUP_MAILBOXES=true in the server's configuration (and an administrator's consent to Group.Read.All); leave mailbox out to use your own.`;
}

/** Why `toolName` does not take a group: writes are never made in a group, and only some reads map onto its conversations. */
function groupNotServed(toolName: string, write = false): string {
  const reads = 'ol_email_search (list or search its threads) and ol_email_read_thread (read a thread\'s posts)';
  return write
    ? `${toolName}: group conversations are read-only here; nothing is drafted, changed or sent in a group, so this call was not made. Read the group with ${reads}, and reply from Outlook.`
    : `${toolName} does not read group conversations, so this call was not made. With mailbox "group:…" use ${reads}.`;
}

/** The dependencies and handler a call with `mailbox: "group:…"` runs on; throws a refusal (before any request) when it may not. */
export async function groupCall(tool: ToolDef, deps: ServerDeps, value: string, signal?: AbortSignal): Promise<{ deps: ServerDeps; label: string; handler: NonNullable<ToolDef['group']> }> {
  if (!deps.config.allowGroupMailboxes || !deps.forGroup) throw new MailboxArgumentError(groupsSwitchedOff(tool.name));
  if (!tool.group) throw new MailboxArgumentError(groupNotServed(tool.name, !tool.annotations.readOnlyHint));
  let bound: ServerDeps;
  try {
    bound = await deps.forGroup(value, signal);
  } catch (err) {
    throw explainGroupFailure(err, value.trim());
  }
  return { deps: bound, label: bound.groupConversations?.label ?? value.trim(), handler: tool.group };
}

/**
 * A 403 or 404 from a group said in words. Graph answers 403 both when the
 * sign-in lacks the permission and when the person may not read the group
 * (a private group they are not a member of), so the message names both.
 */
export function explainGroupFailure(err: unknown, label: string): unknown {
  if (!(err instanceof GraphError) || err instanceof GraphAuthError || (err.status !== 403 && err.status !== 404)) return err;
  const rid = err.requestId ? ` [request-id ${err.requestId}]` : '';
  if (err.status === 404) {
    return new MailboxAccessError(`The group ${label} or the thread asked for was not found (${err.status} ${err.code}). Check the group's id or address, and pass a thread id from ol_email_search with mailbox ${label}.${rid}`, { cause: err });
  }
  return new MailboxAccessError(
    `Reading the conversations of the group ${label} was refused (${err.status} ${err.code}). The signed-in person must be a member of the group (private groups are readable by members only), and the sign-in must hold Group.Read.All, which needs an administrator's consent (sign in again after OUTLOOK_ALLOW_GROUP_MAILBOXES=true). See docs/AUTH.md.${rid}`,
    { cause: err },
  );
}

/** The dependencies a call with `mailbox` runs on; throws {@link MailboxArgumentError} for a mailbox the configuration does not allow. */
export function depsForMailbox(deps: ServerDeps, value: string | undefined): ServerDeps {
  if (value === undefined) return deps;
  const address = value.trim().toLowerCase();
  const problem = mailboxAddressProblem(address);
  if (problem) throw new MailboxArgumentError(`mailbox: "${value.slice(0, 80)}" ${problem} Pass the mailbox's address (e.g. support@contoso.com), or leave mailbox out to use your own.`);
  const allowed = deps.config.sharedMailboxes ?? [];
  if (allowed.length > 0 && !allowed.includes(address)) {
    throw new MailboxArgumentError(`mailbox: ${address} is not one of the mailboxes this server may open (OUTLOOK_SHARED_MAILBOXES: ${allowed.join(', ')}). Use one of those, or ask the administrator to add it.`);
  }
  if (!deps.forMailbox) throw new MailboxArgumentError('mailbox: this server was started without OUTLOOK_ALLOW_SHARED_MAILBOXES=true; leave mailbox out to use your own.');
  return deps.forMailbox(address);
}

const USERS_ROOT = '/users/';

/**
 * The dependencies of the mailbox a draft is in, for the review card's app-only tools: the card opens
 * whatever draft it was shown, and the mailbox comes from where this profile stored that draft (its handle,
 * or its registry record), never from an argument. A draft in the default mailbox, an unknown id (the tool
 * then refuses it as usual) or a server without OUTLOOK_ALLOW_SHARED_MAILBOXES keeps `deps`. A mailbox no
 * longer allowed (OUTLOOK_SHARED_MAILBOXES changed since) is refused like a `mailbox` argument.
 */
export async function depsForDraft(deps: ServerDeps, value: unknown): Promise<ServerDeps> {
  if (!deps.config.allowSharedMailboxes || !deps.forMailbox || !deps.state || typeof value !== 'string') return deps;
  const v = value.trim();
  let stored: string | undefined;
  if (HandleStore.looksLikeHandle(v)) stored = await deps.state.handles.lookup(v);
  else stored = (await deps.state.drafts.list('mail')).find((r) => storedIdIs(r.id, v))?.id;
  const root = stored === undefined ? undefined : storedMailboxRoot(stored);
  if (root === undefined || !root.startsWith(USERS_ROOT)) return deps;
  let address: string;
  try {
    address = decodeURIComponent(root.slice(USERS_ROOT.length));
  } catch {
    return deps;
  }
  return depsForMailbox(deps, address);
}

/**
 * A 403 from a named mailbox said in words: Graph answers ErrorAccessDenied
 * both when the person has no rights in Exchange and when the token lacks the
 * `.Shared` permission, so the message names both.
 */
export function explainMailboxFailure(err: unknown, address: string, write: boolean): unknown {
  if (!(err instanceof GraphError) || err instanceof GraphAuthError || err.status !== 403) return err;
  const rid = err.requestId ? ` [request-id ${err.requestId}]` : '';
  const permission = write ? 'Mail.ReadWrite.Shared / Calendars.ReadWrite.Shared' : 'Mail.Read.Shared / Calendars.Read.Shared';
  const send = err.code === 'ErrorSendAsDenied' ? ' Sending from it also needs Send As or Send on Behalf on that mailbox, granted by an Exchange administrator.' : '';
  return new MailboxAccessError(
    `Access to the mailbox ${address} was refused (${err.status} ${err.code}). The signed-in person needs Full Access to it (a shared mailbox) or delegate rights to its folder or calendar (granted by its owner or an Exchange administrator), and the sign-in must hold ${permission} (sign in again after OUTLOOK_ALLOW_SHARED_MAILBOXES=true). See docs/AUTH.md.${send}${rid}`,
    { cause: err },
  );
}
