/**
 * The sandbox tenant's directory for remote mode: several people, each with
 * a mailbox of their own, and the app registration of the server's API (the
 * confidential client that exchanges their tokens on behalf of them). Every
 * mailbox is the seed plus one unread message only its owner has, so a test
 * can tell from any listing whose mailbox it came from.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxMailbox, SandboxUser } from '../model.js';
import { newChangeKey, newGraphId } from '../graph-ids.js';

/** A person of the sandbox tenant. `name` is what `login_hint` and `sandbox token --user` take. */
export interface DirectoryUser {
  readonly name: string;
  readonly upn: string;
  readonly oid: string;
  readonly displayName: string;
}

/** The server's app registration in the sandbox tenant (what an administrator would create in Entra). */
export interface SandboxServerApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `api://<clientId>/access_as_user`: the delegated scope clients request for the server. */
  readonly apiScope: string;
  /** The `aud` of tokens for the API (v2 tokens carry the client id). */
  readonly audience: string;
}

/** Fixed, recognisably fake client id of the server's API in the sandbox. */
export const SANDBOX_SERVER_CLIENT_ID = '5e1f0a11-0b0e-4a1f-9c0d-5a4db0c5a11e';
/** A second directory the sandbox signs tokens for with the same keys (as Entra does), so tenant checks can be tested. */
export const SANDBOX_OTHER_TENANT_ID = '7e4a0b7e-0000-4e11-9a7e-5a4db0c5beef';

/** Builds the server app registration; the secret is new for every sandbox. */
export function sandboxServerApp(): SandboxServerApp {
  return {
    clientId: SANDBOX_SERVER_CLIENT_ID,
    clientSecret: `sbx~${randomBytes(24).toString('base64url')}`,
    apiScope: `api://${SANDBOX_SERVER_CLIENT_ID}/access_as_user`,
    audience: SANDBOX_SERVER_CLIENT_ID,
  };
}

const EXTRA_PEOPLE = [
  { name: 'blake', displayName: 'Blake Okafor', oid: '3b1a7e00-b1a4-4e00-8b1a-7e00b1a4e001' },
  { name: 'casey', displayName: 'Casey Lindqvist', oid: '3b1a7e00-ca5e-4e00-8ca5-e00ca5e4e002' },
];

/** The directory: the seed's mailbox owner first, then the other people, with `count` people in all (at least 1). */
export function directoryUsers(seedUser: SandboxUser, count = 3): DirectoryUser[] {
  const domain = seedUser.userPrincipalName.replace(/^[^@]*@/, '');
  const first: DirectoryUser = { name: (seedUser.userPrincipalName.replace(/@.*$/, '').split('.')[0] as string).toLowerCase(), upn: seedUser.userPrincipalName, oid: seedUser.id, displayName: seedUser.displayName };
  const out = [first];
  for (let i = 0; out.length < count; i++) {
    const known = EXTRA_PEOPLE[i];
    const name = known?.name ?? `user${i + 2}`;
    const oid = known?.oid ?? `3b1a7e00-0000-4e00-8000-${String(i + 2).padStart(12, '0')}`;
    out.push({ name, upn: `${name}@${domain}`, oid, displayName: known?.displayName ?? `Sandbox User ${i + 2}` });
  }
  return out;
}

/** `seed` made into `person`'s mailbox: their identity, and one unread message naming them that no other mailbox has. */
export function mailboxFor(person: DirectoryUser, seed: SandboxMailbox): SandboxMailbox {
  const mailbox = structuredClone(seed);
  // structuredClone makes every Buffer a plain Uint8Array, whose toString('base64') is not base64: Buffers again.
  for (const m of mailbox.messages) for (const a of m.attachments) a.bytes = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  mailbox.user = { ...mailbox.user, id: person.oid, displayName: person.displayName, mail: person.upn, userPrincipalName: person.upn };
  const inbox = mailbox.folders.find((f) => f.wellKnownName === 'inbox');
  const newest = mailbox.messages.filter((m) => m.parentFolderId === inbox?.id).sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime))[0];
  if (inbox && newest) {
    const at = new Date(new Date(newest.receivedDateTime).getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const subject = `Only for ${person.displayName}: mailbox ${person.name}`;
    const text = `This message exists only in the mailbox of ${person.upn}.`;
    const id = newGraphId();
    const me = { emailAddress: { name: person.displayName, address: person.upn } };
    mailbox.messages.push({
      ...structuredClone(newest),
      id,
      subject,
      internetMessageId: `<only-${person.name}-${randomBytes(6).toString('hex')}@sandbox.invalid>`,
      conversationId: newGraphId(),
      toRecipients: [me],
      ccRecipients: [],
      bccRecipients: [],
      receivedDateTime: at,
      sentDateTime: at,
      createdDateTime: at,
      lastModifiedDateTime: at,
      changeKey: newChangeKey(),
      isRead: false,
      isDraft: false,
      hasAttachments: false,
      attachments: [],
      categories: [],
      body: { contentType: 'text', content: text },
      uniqueBody: { contentType: 'text', content: text },
      singleValueExtendedProperties: [],
    });
  }
  return mailbox;
}
