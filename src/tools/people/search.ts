import { z } from 'zod';
import { limitArg } from '../common.js';
import { defineTool, READ_ONLY, strictInput } from '../define.js';
import { renderPeople } from '../render.js';

export const peopleSearch = defineTool({
  name: 'ol_people_search',
  title: 'Find people',
  description: 'People the user works with, best match first (part of a name or address), for drafts and attendees.',
  toolset: 'people',
  gate: 'always',
  input: strictInput({
    query: z.string().min(1).max(200),
    limit: limitArg(50, 10),
  }),
  output: z.object({
    people: z.array(z.object({ name: z.string(), address: z.string().optional(), job_title: z.string().optional(), company: z.string().optional(), kind: z.string().optional() })),
    source: z.enum(['people', 'recent mail']),
    note: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async handler(args, { deps, signal }) {
    const r = await deps.people.search(args.query, args.limit, signal);
    return { structured: r, text: renderPeople(r, args.query) };
  },
});
