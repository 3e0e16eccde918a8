import { z } from 'zod';
import { cursorArg, dateArg, limitArg, optionalDate } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { messageList } from '../output-schemas.js';
import { renderMessageList } from '../render.js';
import { UserFacingError } from '../../errors.js';
import type { GroupConversationService } from '../../services/group-conversations.js';

/** A bare end date parses to the start of the next day; the query compiler's bound is inclusive. */
const inclusiveEnd = (d: Date | undefined) => (d ? new Date(d.getTime() - 1) : undefined);

export const emailSearch = defineTool({
  name: 'ol_email_search',
  title: 'Search mail',
  description:
    'Search messages, newest first, by free text or KQL (subject:, body:, from:, attachment:) and/or the filters.',
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    query: z.string().max(1000).optional(),
    folder: z.string().max(256).optional().describe('well-known name, path or id; default: all'),
    from: z.string().max(320).optional().describe('sender address or name'),
    to: z.string().max(320).optional(),
    received_after: dateArg().optional(),
    received_before: dateArg('inclusive').optional(),
    modified_after: dateArg().optional(),
    has_attachment: z.boolean().optional(),
    limit: limitArg(100, 25),
    cursor: cursorArg,
  }),
  output: messageList,
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const zone = deps.config.timeZone;
    const list = await deps.mail.search(
      'ol_email_search',
      {
        query: args.query,
        folder: args.folder,
        from: args.from,
        to: args.to,
        receivedAfter: optionalDate(args.received_after, 'received_after', zone),
        receivedBefore: inclusiveEnd(optionalDate(args.received_before, 'received_before', zone, true)),
        modifiedAfter: optionalDate(args.modified_after, 'modified_after', zone),
        hasAttachment: args.has_attachment,
        limit: args.limit,
        cursor: args.cursor,
      },
      signal,
    );
    return { structured: list, text: renderMessageList(list, 'No messages match.') };
  },
  // A group's threads: the listing with no query, narrowed by text, sender, dates and attachments otherwise.
  async group(args, { deps, signal }) {
    const groups = deps.groupConversations as GroupConversationService;
    const unfit = (['folder', 'to', 'modified_after'] as const).filter((k) => args[k] !== undefined);
    if (unfit.length) {
      throw new UserFacingError('group_argument_unfit', `${unfit.join(', ')}: not available for group conversations (a group has no folders, and its threads carry no recipients or change time). Leave ${unfit.length > 1 ? 'them' : 'it'} out; query, from, received_after, received_before and has_attachment work.`);
    }
    const zone = deps.config.timeZone;
    const list = await groups.listThreads(
      'ol_email_search',
      {
        query: args.query,
        from: args.from,
        deliveredAfter: optionalDate(args.received_after, 'received_after', zone),
        deliveredBefore: inclusiveEnd(optionalDate(args.received_before, 'received_before', zone, true)),
        hasAttachment: args.has_attachment,
        limit: args.limit,
        cursor: args.cursor,
      },
      signal,
    );
    return { structured: list, text: renderMessageList(list, `No threads in ${groups.label} match.`).replace(/ message\(s\):/, ` thread(s) in ${groups.label} (read one with ol_email_read_thread and the same mailbox):`) };
  },
});
