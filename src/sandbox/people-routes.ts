/**
 * `GET /me/people`: the people the user works with, most relevant first.
 * `$search` is fuzzy as Graph's is: every word of the query must start a
 * word of the name or the address (so "ann" finds Anna, "schmidt" finds
 * Anna Schmidt); ranking stays relevance order. `$skip` is refused with
 * `$search`, as Graph does.
 */
import { listResponse, contextWithSelect } from './collection.js';
import type { HandlerResult, RequestContext } from './context.js';
import { GraphError } from './errors.js';
import { unquoteSearch } from './kql.js';
import type { SandboxPerson } from './model.js';
import { inDeclarationOrder, parseSelect, shape, type Getters } from './odata/select.js';
import type { Route } from './router.js';
import { personType } from './schema.js';

const personGetters: Getters<SandboxPerson, undefined> = {
  id: (p) => p.id,
  displayName: (p) => p.displayName,
  givenName: (p) => p.givenName ?? null,
  surname: (p) => p.surname ?? null,
  birthday: () => '',
  personNotes: () => '',
  isFavorite: () => false,
  jobTitle: (p) => p.jobTitle ?? null,
  companyName: (p) => p.companyName ?? null,
  yomiCompany: () => '',
  department: (p) => p.department ?? null,
  officeLocation: () => null,
  profession: () => '',
  userPrincipalName: (p) => (p.personType.subclass === 'OrganizationUser' ? (p.scoredEmailAddresses[0]?.address ?? null) : null),
  imAddress: () => null,
  scoredEmailAddresses: (p) => p.scoredEmailAddresses.map((e) => ({ ...e, selectionLikelihood: 'notSpecified' })),
  phones: () => [],
  postalAddresses: () => [],
  websites: () => [],
  personType: (p) => p.personType,
};

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function matches(p: SandboxPerson, query: string): boolean {
  const words = fold([p.displayName, p.givenName, p.surname, ...p.scoredEmailAddresses.map((e) => e.address)].filter(Boolean).join(' ')).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const terms = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return terms.length > 0 && terms.every((t) => words.some((w) => w.startsWith(t)));
}

function listPeople(ctx: RequestContext): HandlerResult {
  const q = ctx.query;
  if (q.$search !== undefined && q.$skip !== undefined) throw new GraphError(400, 'ErrorInvalidRequest', "The query parameter '$skip' is not supported with '$search'.");
  const selected = parseSelect(q.$select, personType);
  const all = ctx.state.mailbox.people ?? [];
  const search = q.$search !== undefined ? unquoteSearch(q.$search) : undefined;
  const items = search === undefined ? all : all.filter((p) => matches(p, search));
  const names = selected ? inDeclarationOrder(personGetters, selected) : Object.keys(personGetters);
  return listResponse(ctx, { items, defaultPageSize: 10, context: contextWithSelect(`${ctx.entityRoot}/people`, selected), shape: (p) => shape(p, undefined, personGetters, ['id'], names) });
}

/** Routes for people. */
export const peopleRoutes: readonly Route[] = [{ method: 'GET', pattern: 'people', handler: listPeople }];
