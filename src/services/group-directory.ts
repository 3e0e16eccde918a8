/**
 * Which Microsoft 365 group a `mailbox: "group:<id or address>"` names. An id
 * (a GUID) is used as it is; an address is looked up once through
 * `GET /groups?$filter=mail eq '…'` and the answer kept for the life of the
 * process (a group's id never changes), so later calls make no lookup.
 * The client used here is rooted at `/groups`: it can reach nothing else.
 */
import { mailboxAddressProblem } from '../config/config.js';
import { UserFacingError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import { odataString } from '../graph/query/odata.js';
import { cleanUntrusted } from '../text/untrusted.js';
import { identified, stringOr } from './shape.js';

/** The prefix of a `mailbox` value that names a group. */
export const GROUP_PREFIX = 'group:';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a `mailbox` value names a group (`group:…`, any case). */
export function namesGroup(value: unknown): value is string {
  return typeof value === 'string' && value.trim().toLowerCase().startsWith(GROUP_PREFIX);
}

/** A `group:` value that names no usable group; the message says what to pass instead. */
export class GroupReferenceError extends UserFacingError {
  override name = 'GroupReferenceError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('group_refused', message, options);
  }
}

export interface GroupRef {
  /** The group's object id (lower-case GUID). */
  readonly id: string;
  /** How results and messages name it: `group:<address>` or `group:<id>`. */
  readonly label: string;
}

/** A parsed `group:` value before any lookup: an id, or an address to look up. */
export function parseGroupReference(value: string): { id: string } | { address: string } {
  const rest = value.trim().slice(GROUP_PREFIX.length).trim().toLowerCase();
  if (GUID_RE.test(rest)) return { id: rest };
  const problem = mailboxAddressProblem(rest);
  if (rest === '' || problem) {
    throw new GroupReferenceError(
      `mailbox: "${cleanUntrusted(value, 'address').slice(0, 80)}" names no group. Pass group:<the group's object id (a GUID)> or group:<the group's email address>, e.g. group:project-falcon@contoso.com.`,
    );
  }
  return { address: rest };
}

/** Resolves group references for one server; the lookups of addresses are cached per process. */
export class GroupDirectory {
  private readonly byAddress = new Map<string, GroupRef>();

  constructor(private readonly graph: GraphClient) {}

  /** The group a `group:` value names; throws {@link GroupReferenceError} when it names none. */
  async resolve(value: string, signal?: AbortSignal): Promise<GroupRef> {
    const ref = parseGroupReference(value);
    if ('id' in ref) return { id: ref.id, label: `${GROUP_PREFIX}${ref.id}` };
    const known = this.byAddress.get(ref.address);
    if (known) return known;
    const { items } = await this.graph.getAll<{ id?: unknown; mail?: unknown }>(
      this.graph.mailbox``,
      { query: [['$filter', `mail eq ${odataString(ref.address)}`], ['$select', 'id,mail']], signal },
      { maxItems: 2, maxPages: 5 },
    );
    const found = identified(items).items.filter((g) => GUID_RE.test(g.id));
    if (found.length === 0) {
      throw new GroupReferenceError(`mailbox: no Microsoft 365 group has the address ${ref.address} (or the signed-in person cannot see it). Check the address, or pass group:<the group's object id>.`);
    }
    if (found.length > 1) throw new GroupReferenceError(`mailbox: more than one group answers to ${ref.address}; pass group:<the group's object id> instead.`);
    const group: GroupRef = { id: (found[0] as { id: string }).id.toLowerCase(), label: `${GROUP_PREFIX}${stringOr(ref.address) ?? ''}` };
    this.byAddress.set(ref.address, group);
    return group;
  }
}
