import { z } from 'zod';
import { cursorArg, limitArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { messageList } from '../output-schemas.js';
import { renderMessageList } from '../render.js';

export const emailListUnread = defineTool({
  name: 'ol_email_list_unread',
  title: 'List unread mail',
  description: 'Unread messages in a folder, newest first.',
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({
    folder: z.string().max(256).default('inbox').describe('well-known name, path or id'),
    limit: limitArg(100, 50),
    cursor: cursorArg,
  }),
  output: messageList,
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const list = await deps.mail.search('ol_email_list_unread', { folder: args.folder, unreadOnly: true, limit: args.limit, cursor: args.cursor }, signal);
    return { structured: list, text: renderMessageList(list, `No unread messages in ${args.folder}.`) };
  },
});
