/**
 * Shared vs delegated from Graph's `userPurpose`: every value of Graph's own enum (the CSDL types in
 * @microsoft/microsoft-graph-types) maps to a kind, nothing unknown is guessed at, and the reader asks
 * Graph once per mailbox: a refusal is kept, a failure that may pass is asked again.
 */
import { describe, expect, it } from 'vitest';
import type { UserPurpose } from '@microsoft/microsoft-graph-types';
import { kindOfPurpose, mailboxKindLabel, MailboxKindReader, type MailboxKind } from '../../src/services/mailbox-kind.js';
import { GraphError } from '../../src/graph/errors.js';
import type { GraphClient } from '../../src/graph/client.js';
import { renderSendSummary, type SendSummary } from '../../src/services/send.js';

// A Record over Graph's enum: a value added to the types fails to compile here until it is decided.
const EXPECTED: Record<UserPurpose, MailboxKind> = {
  user: 'delegated',
  linked: 'delegated',
  shared: 'shared',
  room: 'room',
  equipment: 'equipment',
  others: 'unknown',
  unknownFutureValue: 'unknown',
};

describe('mailbox kind', () => {
  it("maps every userPurpose of Graph's enum, and nothing else", () => {
    for (const [purpose, kind] of Object.entries(EXPECTED)) expect(kindOfPurpose(purpose), purpose).toBe(kind);
    for (const odd of [undefined, null, '', 'Shared ', 'teamMailbox']) expect(kindOfPurpose(odd)).toBe('unknown');
    expect(mailboxKindLabel('unknown')).toBe("another person's mailbox");
  });

  it('the send prompt says which kind the other mailbox is', () => {
    const base: SendSummary = { from: 'support@contoso.example', to: [], cc: [], bcc: [], subject: 's', attachments: [], bodyLines: [], bodyMoreLines: 0, bodyMoreChars: 0, otherMailbox: 'support@contoso.example' };
    expect(renderSendSummary({ ...base, otherMailboxKind: 'shared' })).toContain('From: support@contoso.example (shared mailbox)');
    expect(renderSendSummary({ ...base, otherMailboxKind: 'delegated' })).toContain("(another person's own mailbox, as their delegate)");
    expect(renderSendSummary(base)).toContain("From: support@contoso.example (another person's mailbox)");
    expect(renderSendSummary({ ...base, otherMailbox: undefined })).toMatch(/From: support@contoso\.example\n/);
  });

  it('reads once: a refusal is kept, a failure that may pass is asked again', async () => {
    const answers: Array<() => unknown> = [
      () => {
        throw new Error('socket hang up');
      },
      () => ({ userPurpose: 'shared' }),
    ];
    let calls = 0;
    const graph = { mailbox: (s: TemplateStringsArray) => `/users/x${s.join('')}`, get: async () => answers[calls++]?.() } as unknown as GraphClient;
    const reader = new MailboxKindReader(graph);
    expect(await reader.kind()).toBe('unknown');
    expect(await reader.kind()).toBe('shared');
    expect(await reader.kind()).toBe('shared');
    expect(calls).toBe(2);

    let refusals = 0;
    const refusing = {
      mailbox: (s: TemplateStringsArray) => `/users/y${s.join('')}`,
      get: async () => {
        refusals++;
        throw new GraphError({ method: 'GET', path: '/users/y/mailboxSettings', status: 403, code: 'ErrorAccessDenied' });
      },
    } as unknown as GraphClient;
    const r2 = new MailboxKindReader(refusing);
    expect(await Promise.all([r2.kind(), r2.kind()])).toEqual(['unknown', 'unknown']);
    expect(await r2.kind()).toBe('unknown');
    expect(refusals).toBe(1);
  });
});
