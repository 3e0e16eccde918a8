/**
 * Names and addresses for drafting. Graph's People API ranks the people the
 * user actually works with and matches fuzzily (`People.Read`, personal
 * accounts too). When it is unavailable (permission not granted, or an
 * account without it) the answer comes from recent mail instead: senders
 * and recipients of messages that mention the name, ranked by how often.
 */
import type { GraphClient } from '../graph/client.js';
import { GraphError } from '../graph/errors.js';
import { kqlPhrase, kqlPhraseText, searchParamValue } from '../graph/query/kql.js';
import { cleanOptional } from '../text/untrusted.js';
import { compact } from './shape.js';

/** Messages read for the recent-mail fallback. */
const FALLBACK_MESSAGES = 100;

type Address = { emailAddress?: { name?: string; address?: string } };

interface GraphPerson {
  displayName?: string;
  jobTitle?: string;
  companyName?: string;
  department?: string;
  scoredEmailAddresses?: Array<{ address?: string; relevanceScore?: number }>;
  personType?: { class?: string; subclass?: string };
}

export interface PersonRow {
  name: string;
  address?: string;
  job_title?: string;
  company?: string;
  /** `colleague`, `contact`, `group` … when Graph says. */
  kind?: string;
}

export interface PeopleResult {
  people: PersonRow[];
  source: 'people' | 'recent mail';
  note?: string;
}

const KIND: Record<string, string> = { OrganizationUser: 'colleague', PersonalContact: 'contact', ImplicitContact: 'correspondent', UnifiedGroup: 'group', PublicDistributionList: 'group' };

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Every query word starts a word of the name or address. */
function matchesQuery(text: string, query: string): boolean {
  const words = fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean).every((t) => words.some((w) => w.startsWith(t)));
}

/** A query with nothing searchable in it. */
export class PeopleQueryError extends Error {
  override name = 'PeopleQueryError';
}

/** People lookups for one mailbox. */
export class PeopleService {
  constructor(private readonly graph: GraphClient) {}

  /** People matching `query`, most relevant first. */
  async search(query: string, limit: number, signal?: AbortSignal): Promise<PeopleResult> {
    if (kqlPhraseText(query) === '') throw new PeopleQueryError('query: give part of a name or an address.');
    try {
      return await this.fromPeople(query, limit, signal);
    } catch (err) {
      // 403: People.Read not consented (or blocked by the tenant); 404/501: no People data for this account.
      if (!(err instanceof GraphError) || ![403, 404, 501].includes(err.status)) throw err;
      const r = await this.fromMail(query, limit, signal);
      return { ...r, note: `Graph People is unavailable (${err.status} ${err.code}); these are correspondents from recent mail.` };
    }
  }

  private async fromPeople(query: string, limit: number, signal?: AbortSignal): Promise<PeopleResult> {
    const { items } = await this.graph.getAll<GraphPerson>(
      this.graph.mailbox`/people`,
      {
        query: [
          ['$search', searchParamValue(kqlPhraseText(query))],
          ['$top', String(limit)],
          ['$select', 'displayName,scoredEmailAddresses,jobTitle,companyName,department,personType'],
        ],
        signal,
      },
      { maxItems: limit, maxPages: 3 },
    );
    const people = items.slice(0, limit).map((p) =>
      compact({
        name: cleanOptional(p.displayName, 'name') ?? '(no name)',
        address: cleanOptional(p.scoredEmailAddresses?.[0]?.address, 'address'),
        job_title: cleanOptional(p.jobTitle, 'label'),
        company: cleanOptional(p.companyName, 'label'),
        kind: KIND[p.personType?.subclass ?? ''],
      }) as PersonRow,
    );
    return { people, source: 'people' };
  }

  private async fromMail(query: string, limit: number, signal?: AbortSignal): Promise<PeopleResult> {
    const { items } = await this.graph.getAll<{ from?: Address; toRecipients?: Address[]; ccRecipients?: Address[] }>(
      this.graph.mailbox`/messages`,
      { query: [['$search', searchParamValue(`participants:${kqlPhrase(kqlPhraseText(query))}`)], ['$select', 'from,toRecipients,ccRecipients'], ['$top', '50']], signal },
      { maxItems: FALLBACK_MESSAGES, maxPages: 2 },
    );
    const seen = new Map<string, { name?: string; address: string; count: number }>();
    for (const m of items) {
      for (const r of [m.from, ...(m.toRecipients ?? []), ...(m.ccRecipients ?? [])]) {
        const address = cleanOptional(r?.emailAddress?.address, 'address');
        if (!address) continue;
        const name = cleanOptional(r?.emailAddress?.name, 'name');
        if (!matchesQuery(`${name ?? ''} ${address}`, query)) continue;
        const key = address.toLowerCase();
        const entry = seen.get(key) ?? { name, address, count: 0 };
        entry.count++;
        seen.set(key, entry);
      }
    }
    const people = [...seen.values()]
      .sort((a, b) => b.count - a.count || a.address.localeCompare(b.address))
      .slice(0, limit)
      .map((p) => compact({ name: p.name ?? p.address, address: p.address }) as PersonRow);
    return { people, source: 'recent mail' };
  }
}
