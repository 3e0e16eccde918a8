/**
 * Who a remote caller is, as state sees it: a keyed hash of the validated
 * tenant and object id (never the raw ids, which would let anyone holding
 * the state map it to people), and the per-user approval key derived from
 * the same secret, so any replica can verify an approval another one issued
 * while no user's key opens another's.
 */
import { createHmac } from 'node:crypto';

/** The validated identity of one caller (from the token's `tid` and `oid`). */
export interface Principal {
  readonly tenantId: string;
  readonly objectId: string;
}

/** HMAC-SHA-256 of `tid/oid` under the state secret, hex: namespaces every piece of a user's state. */
export function userKeyOf(secret: string, p: Principal): string {
  return createHmac('sha256', secret).update(`mcp-server-outlook user\0${p.tenantId.toLowerCase()}\0${p.objectId.toLowerCase()}`).digest('hex');
}

/** The key that signs `userKey`'s approvals: derived, never stored, the same on every replica. */
export function approvalKeyOf(secret: string, userKey: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(`mcp-server-outlook approvals\0${userKey}`).digest());
}
