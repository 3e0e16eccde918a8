import { z } from 'zod';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { compact } from '../../services/shape.js';

export const emailListFolders = defineTool({
  name: 'ol_email_list_folders',
  title: 'List mail folders',
  description: 'Mail folders with paths, well-known names and unread/total counts.',
  toolset: 'mail',
  gate: 'always',
  mailbox: true,
  input: strictInput({}),
  output: z.object({
    folders: z.array(z.object({ id: z.string(), path: z.string(), well_known: z.string().optional(), unread: z.number(), total: z.number() })),
  }),
  annotations: READ_ONLY,
  async handler(_args, { deps, signal }) {
    const list = await deps.folders.list(signal);
    const handles = await deps.handles.handlesFor(list.map((f) => f.id));
    const folders = list.map((f, i) => compact({ id: handles[i] ?? f.id, path: f.path, well_known: f.wellKnown, unread: f.unread, total: f.total }));
    const text = folders.map((f) => `${f.id} | ${f.path}${f.well_known ? ` (${f.well_known})` : ''} | ${f.unread} unread / ${f.total}`).join('\n');
    return { structured: { folders: folders as Array<{ id: string; path: string; well_known?: string; unread: number; total: number }> }, text: `${folders.length} folder(s):\n${text}` };
  },
});
