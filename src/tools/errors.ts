/**
 * Turns any failure inside a tool into a message a person (or the agent on
 * their behalf) can act on. Graph failures are mapped by Graph's stable
 * `code`, never by its message, and always carry the request-id. Any other
 * error written for the user extends UserFacingError and is shown as it is;
 * only a real bug is "unexpected".
 */
import { GraphAuthError, GraphError, GraphNetworkError, GraphThrottledError } from '../graph/errors.js';
import { InvalidIdError } from '../handles/handle-store.js';
import { DRAFT_REFUSALS } from '../drafts/errors.js';
import { isUserFacing } from '../errors.js';
import { ApprovalError, ApprovalPendingError } from '../approval/approvals.js';
import { AppOnlyToolError } from '../apps/per-client.js';
import { AuditUnavailableError } from '../audit/audit-log.js';

const GRAPH_CODE_ADVICE: Record<string, string> = {
  ErrorItemNotFound: 'No item with that id exists in this mailbox (it may have been moved or deleted). List or search again for a current id.',
  ErrorInvalidIdMalformed: 'That id is not a valid Graph id. Pass the id exactly as a list or search result returned it.',
  ErrorAccessDenied: 'Access denied by the mailbox. The signed-in account or app may lack the permission for this mailbox or folder.',
  ErrorInvalidUser: 'The mailbox does not exist or is not reachable with these credentials. Check OUTLOOK_MAILBOX.',
  MailboxNotEnabledForRESTAPI: 'This mailbox is not enabled for the Graph mail API (on-premises or inactive mailbox).',
  Authorization_RequestDenied: 'The token lacks the permission for this request. Sign in again with the scopes the current settings need.',
  InefficientFilter: 'Graph rejected the filter/sort combination. Please report this as a bug in mcp-server-outlook.',
  SearchWithFilter: 'Graph rejected $search combined with $filter. Please report this as a bug in mcp-server-outlook.',
  SearchWithOrderBy: 'Graph rejected $search combined with $orderby. Please report this as a bug in mcp-server-outlook.',
};

/** True when `err` refused the call before anything was changed (bad id, not ours, no way to confirm). */
export function isRefusal(err: unknown): boolean {
  return err instanceof InvalidIdError || err instanceof ApprovalError || err instanceof AppOnlyToolError || err instanceof ApprovalPendingError || err instanceof AuditUnavailableError || DRAFT_REFUSALS.some((cls) => err instanceof cls);
}

/** The text of an isError tool result for `err`. */
export function userMessage(err: unknown): string {
  if (err instanceof GraphThrottledError) {
    const wait = err.retryAfterMs !== undefined ? ` Microsoft asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s.` : '';
    return `Microsoft Graph is throttling this mailbox (${err.status} ${err.code}) and retries did not get through.${wait} Try again shortly.${rid(err)}`;
  }
  // A refused sign-in carries its own next step; other Graph errors are explained by code.
  if (err instanceof GraphError && !(err instanceof GraphAuthError)) {
    const advice = GRAPH_CODE_ADVICE[err.code] ?? (err.status === 403 ? GRAPH_CODE_ADVICE.ErrorAccessDenied : undefined);
    const detail = err.graphMessage ? ` Graph said: ${err.graphMessage}` : '';
    return `${advice ?? `Microsoft Graph returned ${err.status} ${err.code}.`}${advice ? ` (${err.status} ${err.code})` : detail}${rid(err)}`;
  }
  if (err instanceof GraphNetworkError) {
    return err.reason === 'timeout'
      ? `${err.message} Microsoft Graph did not answer in time; try again, or check the network/proxy.`
      : err.reason === 'aborted'
        ? err.message
        : `${err.message} Check the network connection and OUTLOOK_GRAPH_URL.`;
  }
  // Every error written for the user extends UserFacingError (token-store, sign-in, ids, cursors, drafts, paging…).
  if (isUserFacing(err)) return err.message;
  return `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

function rid(err: GraphError): string {
  return err.requestId ? ` [request-id ${err.requestId}]` : '';
}
