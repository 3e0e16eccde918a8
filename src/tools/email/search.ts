import { z } from 'zod';
import { cursorArg, dateArg, limitArg, optionalDate } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { messageList } from '../output-schemas.js';
import { renderMessageList } from '../render.js';

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
});
