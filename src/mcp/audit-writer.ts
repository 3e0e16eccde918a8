/**
 * The one writer of the audit log: every call of a tool with an `audit`
 * descriptor appends one line, whatever its outcome, plus any intermediate
 * line the tool adds (e.g. "approved"). Lines carry domains and a subject
 * hash, never content.
 */
import type { ServerDeps } from '../server-deps.js';
import type { AuditFields, ToolDef } from './tool.js';
import { AuditUnavailableError, recipientDomains, subjectHash, type AuditEntry, type AuditOutcome, type ObservedWrite } from '../audit/audit-log.js';
import { GraphError } from '../graph/errors.js';

export interface AuditWriter {
  /** Refuses the call before it writes anything when its audit line could not be written. */
  ready(): Promise<void>;
  /** An intermediate line (e.g. `approved`): throws {@link AuditUnavailableError} when it cannot be written, so what it records does not happen. */
  required(outcome: AuditOutcome, fields: AuditFields): Promise<void>;
  line(outcome: AuditOutcome, fields: AuditFields & { requestId?: string }, writes: readonly ObservedWrite[]): Promise<void>;
  final(outcome: AuditOutcome, structured: Record<string, unknown>, writes: readonly ObservedWrite[]): Promise<void>;
  failed(err: unknown, refused: boolean, writes: readonly ObservedWrite[]): Promise<void>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const RECIPIENT_FIELDS = ['to', 'cc', 'bcc', 'proposed_attendees', 'attendees'] as const;

/** The audit line writer of one call of a write tool; undefined for read tools or deps without an audit log. */
export function auditWriter(tool: ToolDef, deps: ServerDeps, args: Record<string, unknown>, mailboxDeps: () => ServerDeps = () => deps): AuditWriter | undefined {
  const spec = tool.audit;
  const log = deps.auditLog;
  if (!spec || !log) return undefined;
  // Always the Graph id: handles are local to this machine, the Graph id is what the tenant's logs show.
  const graphId = async (value: unknown): Promise<string | undefined> => {
    if (typeof value !== 'string' || !value) return undefined;
    // A handle is looked up in the mailbox the call acted on (another mailbox's handles are unknown to the default one).
    return (await mailboxDeps().handles.lookup(value).catch(() => undefined)) ?? value.slice(0, 256);
  };
  const entry = (outcome: AuditOutcome, fields: AuditFields & { requestId?: string }, writes: readonly ObservedWrite[]): AuditEntry => ({
    time: deps.now().toISOString(),
    profile: deps.config.profile,
    tool: tool.name,
    action: spec.action,
    item_id: fields.itemId,
    request_id: fields.requestId ?? writes.at(-1)?.requestId,
    recipient_domains: recipientDomains(fields.recipients ?? []),
    subject_sha256: fields.subject !== undefined ? subjectHash(fields.subject) : undefined,
    outcome,
    reason: fields.reason,
    approved_by: fields.channel,
    // Another mailbox than the default (OUTLOOK_ALLOW_SHARED_MAILBOXES): which one was written to.
    mailbox: mailboxDeps().mailboxAddress,
  });
  const line: AuditWriter['line'] = async (outcome, fields, writes) => {
    try {
      await log.append(entry(outcome, fields, writes));
    } catch (err) {
      // The write already happened; failing the call now would make the agent repeat it.
      deps.logger.error(`Could not append to the audit log ${log.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const fromArgs = () => RECIPIENT_FIELDS.flatMap((f) => strings(args[f]));
  return {
    ready: () => log.assertWritable(spec.action === 'send' ? 'sent' : 'written'),
    async required(outcome, fields) {
      try {
        await log.append(entry(outcome, fields, []));
      } catch (err) {
        throw new AuditUnavailableError(log.file, err, 'sent');
      }
    },
    line,
    async final(outcome, structured, writes) {
      const recipients = RECIPIENT_FIELDS.flatMap((f) => strings(structured[f]));
      const subject = typeof structured.subject === 'string' ? structured.subject : typeof args.subject === 'string' ? args.subject : undefined;
      const itemId = await graphId(spec.idResult ? structured[spec.idResult] : spec.idArg ? args[spec.idArg] : undefined);
      const channel = typeof structured.approved_by === 'string' ? structured.approved_by : undefined;
      // A refusal answered as a result (the review card's) names its reason there.
      const reason = typeof structured.reason === 'string' ? structured.reason : undefined;
      await line(outcome, { itemId, subject, recipients: recipients.length ? recipients : fromArgs(), channel, reason }, writes);
    },
    async failed(err, refused, writes) {
      const itemId = await graphId(spec.idArg ? args[spec.idArg] : undefined);
      const requestId = err instanceof GraphError ? err.requestId : undefined;
      const subject = typeof args.subject === 'string' ? args.subject : undefined;
      await line(refused ? 'refused' : 'failed', { itemId, subject, recipients: fromArgs(), requestId, reason: err instanceof Error ? err.name : 'Error' }, writes);
    },
  };
}
