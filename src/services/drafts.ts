/**
 * Mail drafts this profile creates, updates, lists and discards. Nothing here
 * ever calls an endpoint that sends (docs/DESIGN.md promise 1): drafts are made with
 * `POST /messages` or `createReply`/`createReplyAll`/`createForward` and
 * edited with PATCH. Update and discard act only on this profile's drafts: the
 * id must be in the registry AND the server copy must carry our tag, checked
 * before any mutating request (promise 3).
 */
import type { ApprovalService } from '../approval/approvals.js';
import { GraphNetworkError, GraphError } from '../graph/errors.js';
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import type { DraftKind, DraftRecord, DraftRegistry } from '../drafts/registry.js';
import { DraftAttachmentError, DraftInputError, DraftKindError, DraftNotOwnedError, DraftStateError } from '../drafts/errors.js';
import { DRAFT_ORIGIN_PROPERTY, newCreationId, parseTagValue, profileFilter, propertyValue, tagExpand, tagFilter, tagProperties, tagValue } from '../drafts/tag.js';
import { checkRecipientCount, checkSizes, formatAddress, parseAddresses, toGraphRecipients, type Address } from '../drafts/validate.js';
import { markdownToHtml, textToHtml } from '../text/markdown.js';
import { formatRecipients, stringOr, type GraphRecipient } from './shape.js';
import { cleanOptional, cleanUntrusted } from '../text/untrusted.js';
import { checkLocalFile, type AttachmentSpec, type AttachmentUploader, type LocalFile } from './draft-attachments.js';
import { readUpTo } from './paging.js';

export type BodyFormat = 'markdown' | 'text' | 'html';

/** Said with every result: the agent must not tell the user something was sent. */
export const NOT_SENT_NOTE = 'Saved as a draft in Outlook. Nothing was sent: the user reviews it and presses Send.';

export interface CreateMailDraftArgs {
  to?: string[];
  subject?: string;
  body: string;
  cc?: string[];
  bcc?: string[];
  inReplyTo?: string;
  replyAll?: boolean;
  forwardOf?: string;
  bodyFormat?: BodyFormat;
  attachments?: AttachmentSpec[];
}

export interface UpdateMailDraftArgs {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  body?: string;
  bodyFormat?: BodyFormat;
  addAttachments?: AttachmentSpec[];
  removeAttachments?: string[];
}

export interface MailDraftResult {
  draft_id: string;
  web_url?: string;
  subject: string;
  to: string[];
  cc: string[];
  bcc: string[];
  attachments: string[];
  note: string;
}

export interface DraftListItem {
  draft_id: string;
  subject: string;
  to: string[];
  created?: string;
  web_url?: string;
  ours: boolean;
}

interface GraphDraft {
  id: string;
  subject?: string;
  isDraft?: boolean;
  webLink?: string;
  createdDateTime?: string;
  body?: { contentType?: string; content?: string };
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  bccRecipients?: GraphRecipient[];
  attachments?: Array<{ id: string; name?: string }>;
  singleValueExtendedProperties?: Array<{ id?: string; value?: string }>;
}

const DRAFT_SELECT = 'id,subject,isDraft,webLink,createdDateTime,toRecipients,ccRecipients,bccRecipients';

export interface DraftServiceOptions {
  graph: GraphClient;
  handles: HandleStore;
  registry: DraftRegistry;
  uploader: AttachmentUploader;
  profile: string;
  /** Folders local attachments may come from (already defaulted to the download folder). */
  attachmentDirs: readonly string[];
  now: () => Date;
  /** Open send approvals: a draft awaiting the user's answer or being sent is not changed or discarded, and no send starts during a change. */
  approvals?: Pick<ApprovalService, 'whileWriting'>;
}

/** Renders a tool's body argument to safe HTML (the HTML sanitiser's parser loads only when HTML is given). */
export async function renderBody(body: string, format: BodyFormat = 'markdown'): Promise<string> {
  if (format === 'text') return textToHtml(body);
  if (format === 'html') return (await import('../text/sanitize-html.js')).sanitizeHtml(body);
  return markdownToHtml(body);
}

/** Puts our HTML at the top of a reply/forward body, keeping its signature and quoted history below. */
export function prependHtml(existing: string, fragment: string): string {
  const m = /<body[^>]*>/i.exec(existing);
  if (!m) return `${fragment}\n${existing}`;
  const at = m.index + m[0].length;
  return `${existing.slice(0, at)}<div>${fragment}</div>${existing.slice(at)}`;
}

/** Mail drafts of one profile. */
export class DraftService {
  constructor(private readonly o: DraftServiceOptions) {}

  /** Creates a draft (new, reply, reply-all or forward), tags it, records it, attaches files. */
  async createMail(args: CreateMailDraftArgs, signal?: AbortSignal): Promise<MailDraftResult> {
    const { graph } = this.o;
    if (args.inReplyTo && args.forwardOf) throw new DraftInputError('Give either in_reply_to or forward_of, not both.');
    if (args.replyAll && !args.inReplyTo) throw new DraftInputError('reply_all needs in_reply_to (the message to reply to).');
    const to = parseAddresses(args.to, 'to');
    const cc = parseAddresses(args.cc, 'cc');
    const bcc = parseAddresses(args.bcc, 'bcc');
    checkRecipientCount(to, cc, bcc);
    checkSizes(args.subject, args.body);
    const isResponse = !!(args.inReplyTo || args.forwardOf);
    if (!isResponse && (!to || to.length === 0)) throw new DraftInputError('to: give at least one recipient (or in_reply_to to reply to a message).');
    if (args.forwardOf && (!to || to.length === 0)) throw new DraftInputError('to: a forward needs at least one recipient.');
    if (!isResponse && args.subject === undefined) throw new DraftInputError('subject is required for a new message.');
    // Local files and the registry are checked before anything is created: a bad path or an unreadable
    // registry must not leave a half-made draft that a retry would duplicate.
    const local = await this.checkAttachments(args.attachments);
    await this.o.registry.list();
    const html = await renderBody(args.body, args.bodyFormat);
    const creationId = newCreationId();
    const tags = tagProperties(this.o.profile, creationId);

    let draft: GraphDraft;
    if (isResponse) {
      const sourceArg = (args.inReplyTo ?? args.forwardOf) as string;
      const source = await this.o.handles.resolve(sourceArg, args.inReplyTo ? 'in_reply_to' : 'forward_of', 'message');
      const action = args.forwardOf ? 'createForward' : args.replyAll ? 'createReplyAll' : 'createReply';
      // The tag goes in with the create, so a timed-out create can be found again by it.
      const path = action === 'createForward' ? graph.mailbox`/messages/${source}/createForward` : action === 'createReplyAll' ? graph.mailbox`/messages/${source}/createReplyAll` : graph.mailbox`/messages/${source}/createReply`;
      const created: GraphDraft = await this.createOnce(path, { message: { singleValueExtendedProperties: tags } }, creationId, signal);
      draft = await this.afterCreate(created, async () => {
        // Recorded before the PATCH: should it fail, the draft is still this profile's to fix or discard.
        await this.record(created, creationId, args.subject);
        const existing = created.body?.contentType?.toLowerCase() === 'html' ? (created.body.content ?? '') : textToHtml(created.body?.content ?? '');
        const patch: Record<string, unknown> = { body: { contentType: 'html', content: prependHtml(existing, html) }, singleValueExtendedProperties: tags };
        if (args.subject !== undefined) patch.subject = args.subject;
        if (to) patch.toRecipients = toGraphRecipients(to);
        if (cc) patch.ccRecipients = toGraphRecipients(cc);
        if (bcc) patch.bccRecipients = toGraphRecipients(bcc);
        return (await graph.request<GraphDraft>('PATCH', graph.mailbox`/messages/${created.id}`, { body: patch, signal, idempotent: true })).data;
      });
    } else {
      const body = {
        subject: args.subject,
        body: { contentType: 'html', content: html },
        toRecipients: toGraphRecipients(to ?? []),
        ccRecipients: toGraphRecipients(cc ?? []),
        bccRecipients: toGraphRecipients(bcc ?? []),
        singleValueExtendedProperties: tags,
      };
      draft = await this.createOnce(graph.mailbox`/messages`, body, creationId, signal);
    }
    const made = draft;
    await this.afterCreate(made, () => this.record(made, creationId, args.subject));
    const attached = await this.attach(draft.id, args.attachments ?? [], local, signal);
    return this.result(draft, attached);
  }

  /**
   * Runs the steps after a create: any failure there names the draft that now
   * exists (nothing was sent), so the agent fixes it instead of creating another.
   */
  private async afterCreate<T>(draft: GraphDraft, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof DraftAttachmentError) throw err;
      const handle = await this.o.handles.handleFor(draft.id).catch(() => draft.id);
      const reason = err instanceof Error ? err.message : String(err);
      throw new DraftAttachmentError(
        `Draft ${handle} was created in the Drafts folder (nothing was sent), but the next step failed: ${reason} Do not create it again: fix the cause, then use ol_email_update_draft or ol_email_discard_draft on draft ${handle} (or open it in Outlook).`,
        { cause: err },
      );
    }
  }

  /** Changes an own draft: unset fields stay, `[]` clears a recipient list. */
  async updateMail(draftIdArg: string, args: UpdateMailDraftArgs, signal?: AbortSignal): Promise<MailDraftResult> {
    const { graph } = this.o;
    const to = parseAddresses(args.to, 'to');
    const cc = parseAddresses(args.cc, 'cc');
    const bcc = parseAddresses(args.bcc, 'bcc');
    checkRecipientCount(to, cc, bcc);
    checkSizes(args.subject, args.body);
    const local = await this.checkAttachments(args.addAttachments);
    const { id, record } = await this.owned(draftIdArg, 'mail', signal);
    const nothing = [args.to, args.cc, args.bcc, args.subject, args.body].every((v) => v === undefined) && !args.addAttachments?.length && !args.removeAttachments?.length;
    if (nothing) {
      // A strict client's call with every optional field null: nothing to write, and the result says so.
      const current = await graph.get<GraphDraft>(graph.mailbox`/messages/${id}`, { query: [['$select', DRAFT_SELECT]], signal });
      return { ...(await this.result(current, [])), note: `Nothing changed: no field to change was given (absent or null means unchanged). ${NOT_SENT_NOTE}` };
    }
    // Checked after the ownership read and held until the last write: the human may be looking at this exact
    // version, or its send may be under way, and a change landing now would go out unapproved.
    return this.writing(id, 'update', draftIdArg, async () => {
      const patch: Record<string, unknown> = {};
      if (args.subject !== undefined) patch.subject = args.subject;
      if (args.body !== undefined) patch.body = { contentType: 'html', content: await renderBody(args.body, args.bodyFormat) };
      if (to) patch.toRecipients = toGraphRecipients(to);
      if (cc) patch.ccRecipients = toGraphRecipients(cc);
      if (bcc) patch.bccRecipients = toGraphRecipients(bcc);
      let draft: GraphDraft | undefined;
      if (Object.keys(patch).length > 0) {
        draft = (await graph.request<GraphDraft>('PATCH', graph.mailbox`/messages/${id}`, { body: patch, signal, idempotent: true })).data;
      }
      if (args.removeAttachments?.length) {
        const page = await graph.getAll<{ id: string; name?: string }>(graph.mailbox`/messages/${id}/attachments`, { query: [['$select', 'id,name']], signal }, { maxPages: 250 });
        for (const which of args.removeAttachments) {
          const hit = page.items.find((a) => a.id === which) ?? page.items.find((a) => a.name === which);
          if (!hit) throw new DraftInputError(`remove_attachments: the draft has no attachment named or with id "${which.slice(0, 80)}". Attached: ${page.items.map((a) => a.name).join(', ') || 'none'}.`);
          await graph.request('DELETE', graph.mailbox`/messages/${id}/attachments/${hit.id}`, { signal, idempotent: true });
        }
      }
      const attached = await this.attach(id, args.addAttachments ?? [], local, signal);
      draft ??= await graph.get<GraphDraft>(graph.mailbox`/messages/${id}`, { query: [['$select', DRAFT_SELECT]], signal });
      if (args.subject !== undefined) await this.o.registry.touch(record.id, { subject: args.subject });
      return this.result(draft, attached);
    });
  }

  /** Runs our own change of a draft under the approvals' write lease (none without send approvals). */
  private writing<T>(id: string, action: 'update' | 'discard', handle: string, change: () => Promise<T>): Promise<T> {
    return this.o.approvals ? this.o.approvals.whileWriting(id, action, handle, change) : change();
  }

  /** Moves an own draft to Deleted Items (recoverable there) and forgets it. */
  async discardMail(draftIdArg: string, signal?: AbortSignal): Promise<{ draft_id: string; subject: string; note: string }> {
    const { graph } = this.o;
    const { id, item } = await this.owned(draftIdArg, 'mail', signal);
    await this.writing(id, 'discard', draftIdArg, async () => {
      await graph.request('POST', graph.mailbox`/messages/${id}/move`, { body: { destinationId: 'deleteditems' }, signal, idempotent: true });
      await this.o.registry.remove(id);
    });
    return {
      draft_id: await this.o.handles.handleFor(id),
      subject: cleanUntrusted(stringOr(item.subject), 'subject'),
      note: 'Moved to Deleted Items; the user can restore it from there in Outlook. Nothing was sent.',
    };
  }

  /**
   * Drafts in the Drafts folder: with `profileOnly`, those carrying this
   * profile's tag (records missing from the registry are restored from it).
   */
  async listMail(profileOnly: boolean, limit: number, signal?: AbortSignal): Promise<DraftListItem[]> {
    const { graph } = this.o;
    const query: Array<[string, string]> = [
      ['$select', DRAFT_SELECT],
      ['$expand', tagExpand()],
      ['$top', String(limit)],
    ];
    if (profileOnly) query.push(['$filter', profileFilter(this.o.profile)]);
    const tagOf = (m: GraphDraft) => {
      const tag = propertyValue(m, DRAFT_ORIGIN_PROPERTY);
      return tag ? parseTagValue(tag) : undefined;
    };
    // Up to `limit` drafts across pages: Graph may page below $top, and a one-page read would list fewer.
    const read = await readUpTo<GraphDraft>(graph, graph.mailbox`/mailFolders/drafts/messages`, { query, signal }, limit, {
      keep: (m) => m.isDraft !== false && (!profileOnly || tagOf(m)?.profile === this.o.profile),
    });
    const known = new Map((await this.o.registry.list('mail')).map((r) => [r.id, r]));
    const out: DraftListItem[] = [];
    for (const m of read.items) {
      const parsed = tagOf(m);
      const ours = parsed?.profile === this.o.profile;
      if (ours && parsed && !known.has(m.id)) {
        // Recovery of a lost or older registry from the tag on the server copy.
        await this.o.registry.add({ id: m.id, kind: 'mail', creationId: parsed.creationId, subject: m.subject ?? '', createdAt: m.createdDateTime ?? this.o.now().toISOString(), webLink: m.webLink });
      }
      out.push({
        draft_id: await this.o.handles.handleFor(m.id),
        subject: cleanUntrusted(stringOr(m.subject), 'subject') || '(no subject)',
        to: formatRecipients(m.toRecipients),
        created: cleanOptional(stringOr(m.createdDateTime), 'label'),
        web_url: cleanOptional(stringOr(m.webLink), 'url'),
        ours,
      });
    }
    return out;
  }

  /**
   * Resolves an id argument to one of this profile's items of `kind`: in the
   * registry, of that kind, and carrying our tag on the server copy. Throws
   * before any mutating request otherwise.
   */
  async owned(idArg: string, kind: DraftKind, signal?: AbortSignal): Promise<{ id: string; record: DraftRecord; item: GraphDraft & { attendees?: unknown[]; isOrganizer?: boolean } }> {
    const field = kind === 'mail' ? 'draft_id' : 'event_id';
    const id = await this.o.handles.resolve(idArg, field, kind === 'mail' ? 'message' : 'event');
    const record = await this.o.registry.get(id);
    if (!record) {
      throw new DraftNotOwnedError(
        `${field} ${idArg.slice(0, 60)} is not a draft this profile created, so it is left alone. Only drafts made with ${kind === 'mail' ? 'ol_email_create_draft (see ol_email_list_drafts)' : 'ol_calendar_create_event_draft'} can be changed or discarded here; edit other items in Outlook.`,
      );
    }
    if (record.kind !== kind) {
      throw new DraftKindError(
        kind === 'mail'
          ? `${field} ${idArg.slice(0, 60)} is an event draft, not a mail draft. Use ol_calendar_discard_event_draft for events.`
          : `${field} ${idArg.slice(0, 60)} is a mail draft, not an event draft. Use ol_email_discard_draft / ol_email_update_draft for mail.`,
      );
    }
    const path = kind === 'mail' ? this.o.graph.mailbox`/messages/${id}` : this.o.graph.mailbox`/events/${id}`;
    const select = kind === 'mail' ? DRAFT_SELECT : 'id,subject,webLink,attendees,isOrganizer,isCancelled';
    let item: GraphDraft & { attendees?: unknown[]; isOrganizer?: boolean };
    try {
      item = await this.o.graph.get(path, { query: [['$select', select], ['$expand', tagExpand()]], signal });
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) {
        await this.o.registry.remove(id);
        throw new DraftStateError(`That ${kind === 'mail' ? 'draft' : 'event'} no longer exists in the mailbox (deleted or sent in Outlook); it was removed from this profile's list.`);
      }
      throw err;
    }
    if (propertyValue(item, DRAFT_ORIGIN_PROPERTY) !== tagValue(this.o.profile, record.creationId)) {
      throw new DraftNotOwnedError(`${field} ${idArg.slice(0, 60)} does not carry this profile's draft tag in the mailbox, so it is left alone. Edit it in Outlook.`);
    }
    if (kind === 'mail' && item.isDraft === false) {
      await this.o.registry.remove(id);
      throw new DraftStateError('That message is no longer a draft (it was sent from Outlook), so it cannot be changed or discarded here.');
    }
    return { id, record, item };
  }

  /**
   * POSTs a create once; on a timeout or 5xx it first looks for an item with
   * this creation's tag (the create may have succeeded) and only then retries
   * once, so a slow Graph never produces duplicate drafts.
   */
  private async createOnce(path: string, body: unknown, creationId: string, signal?: AbortSignal): Promise<GraphDraft> {
    const attempt = async () => (await this.o.graph.request<GraphDraft>('POST', path, { body, signal })).data;
    try {
      return await attempt();
    } catch (err) {
      const uncertain = (err instanceof GraphNetworkError && err.reason !== 'aborted') || (err instanceof GraphError && err.status >= 500);
      if (!uncertain) throw err;
      const found = await this.findByCreation(creationId, signal);
      if (found) return found;
      return attempt();
    }
  }

  private async record(draft: GraphDraft, creationId: string, subject: string | undefined): Promise<void> {
    await this.o.registry.add({ id: draft.id, kind: 'mail', creationId, subject: draft.subject ?? subject ?? '', createdAt: this.o.now().toISOString(), webLink: draft.webLink });
  }

  private async findByCreation(creationId: string, signal?: AbortSignal): Promise<GraphDraft | undefined> {
    const { graph } = this.o;
    const page = await graph.getAll<GraphDraft>(
      graph.mailbox`/messages`,
      { query: [['$filter', tagFilter(tagValue(this.o.profile, creationId))], ['$select', `${DRAFT_SELECT},body`], ['$expand', tagExpand()], ['$top', '2']], signal },
      { maxItems: 1, maxPages: 20 },
    );
    return page.items[0];
  }

  private async checkAttachments(specs: readonly AttachmentSpec[] | undefined): Promise<Map<number, LocalFile>> {
    const local = new Map<number, LocalFile>();
    for (const [i, s] of (specs ?? []).entries()) {
      const hasPath = s.path !== undefined;
      const hasRef = s.message_id !== undefined || s.attachment_id !== undefined;
      if (hasPath === hasRef) throw new DraftInputError(`attachments[${i}]: give either path, or message_id and attachment_id.`);
      if (hasRef && (!s.message_id || !s.attachment_id)) throw new DraftInputError(`attachments[${i}]: message_id and attachment_id go together.`);
      if (hasPath) local.set(i, await checkLocalFile(s.path as string, this.o.attachmentDirs));
    }
    return local;
  }

  private async attach(id: string, specs: readonly AttachmentSpec[], local: Map<number, LocalFile>, signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    for (const [i, s] of specs.entries()) {
      try {
        const file = local.get(i);
        if (file) {
          await this.o.uploader.addLocal(id, file, signal);
          names.push(file.name);
        } else {
          const source = await this.o.handles.resolve(s.message_id as string, `attachments[${i}].message_id`, 'message');
          const att = await this.o.handles.resolve(s.attachment_id as string, `attachments[${i}].attachment_id`, 'attachment');
          names.push(await this.o.uploader.copyFrom(id, source, att, s.name, signal));
        }
      } catch (err) {
        // The draft exists: say so, or the agent would create a second one.
        const handle = await this.o.handles.handleFor(id);
        const done = names.length ? ` Attached so far: ${names.join(', ')}.` : '';
        throw new DraftAttachmentError(
          `Draft ${handle} was saved (nothing was sent), but attachments[${i}] could not be added: ${err instanceof Error ? err.message : String(err)}.${done} Fix it and use ol_email_update_draft with add_attachments on draft ${handle}.`,
          { cause: err },
        );
      }
    }
    return names;
  }

  private async result(d: GraphDraft, attached: string[]): Promise<MailDraftResult> {
    return {
      draft_id: await this.o.handles.handleFor(d.id),
      web_url: cleanOptional(stringOr(d.webLink), 'url'),
      subject: cleanUntrusted(stringOr(d.subject), 'subject'),
      to: formatRecipients(d.toRecipients),
      cc: formatRecipients(d.ccRecipients),
      bcc: formatRecipients(d.bccRecipients),
      attachments: attached,
      note: NOT_SENT_NOTE,
    };
  }
}

/** Formats addresses for a message to the agent. */
export function describeAddresses(list: readonly Address[]): string {
  return list.map(formatAddress).join(', ');
}

