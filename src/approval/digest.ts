/**
 * What a send would put on the wire, and its digest. An approval covers the
 * digest, so anything that changes what goes out (a recipient, the subject,
 * one character of the body, an attachment added, removed, renamed or
 * resized, or any other edit that moves the changeKey) makes the approval
 * stale. The digest is SHA-256 over a canonical JSON form: fields in a fixed
 * order, recipients in the order Graph lists them (order is visible to the
 * recipients), attachments sorted by id (Graph's listing order is not stable).
 */
import { createHash } from 'node:crypto';

/** One recipient as Graph stores it. */
export interface OutgoingRecipient {
  readonly name?: string;
  readonly address: string;
}

/** One attachment of the draft. */
export interface OutgoingAttachment {
  readonly id: string;
  readonly name: string;
  readonly size?: number;
  readonly contentType?: string;
  readonly isInline?: boolean;
}

/** Everything a send of one draft would deliver, read fresh from Graph. */
export interface OutgoingDraft {
  /** The Graph id. */
  readonly id: string;
  readonly changeKey?: string;
  readonly from?: OutgoingRecipient;
  readonly to: readonly OutgoingRecipient[];
  readonly cc: readonly OutgoingRecipient[];
  readonly bcc: readonly OutgoingRecipient[];
  readonly subject: string;
  readonly body: { readonly contentType: string; readonly content: string };
  readonly attachments: readonly OutgoingAttachment[];
  readonly webLink?: string;
}

const recipient = (r: OutgoingRecipient) => [r.name ?? '', r.address.toLowerCase()];

/** The hex SHA-256 of everything that would go out. */
export function outgoingDigest(d: OutgoingDraft): string {
  const canonical = JSON.stringify([
    'v1',
    d.id,
    d.changeKey ?? '',
    d.to.map(recipient),
    d.cc.map(recipient),
    d.bcc.map(recipient),
    d.subject,
    d.body.contentType.toLowerCase(),
    d.body.content,
    [...d.attachments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a) => [a.id, a.name, a.size ?? -1, a.contentType ?? '', a.isInline === true]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
