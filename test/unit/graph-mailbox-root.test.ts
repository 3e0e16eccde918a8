import { describe, expect, it } from 'vitest';
import { GraphClient } from '../../src/graph/client.js';
import { GraphRequestRefusedError } from '../../src/graph/errors.js';

const make = (mailboxRoot: string) =>
  new GraphClient({ baseUrl: 'https://graph.microsoft.com/v1.0', mailboxRoot, tokens: { source: 't', getToken: async () => 'x' }, timeZone: () => 'UTC', userAgent: 't' });

describe('GraphClient mailbox root', () => {
  it.each([
    ['/me', '/me'],
    ['/me', '/me/messages/AAMk%2Fx%3D/attachments'],
    ['/me', 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=x'],
    ['/users/ops%40contoso.com', '/users/ops%40contoso.com/messages'],
    ['/users/ops%40contoso.com', 'https://graph.microsoft.com/v1.0/users/ops@contoso.com/messages?$skip=10'],
    ['/users/ops%40contoso.com', 'https://graph.microsoft.com/v1.0/users/OPS@Contoso.com/messages'],
  ])('root %s allows %s', (root, p) => {
    expect(() => make(root).resolveUrl(p)).not.toThrow();
  });

  it.each([
    ['/me', '/users/ceo@contoso.com/messages'],
    ['/me', 'https://graph.microsoft.com/v1.0/users/ceo%40contoso.com/mailFolders/inbox/messages'],
    ['/me', '/me/../users/ceo@contoso.com/messages'],
    ['/me', '/me/%2e%2e/users/ceo/messages'],
    ['/me', '/meeting/x'],
    ['/me', '/'],
    ['/me', '/organization'],
    ['/users/ops%40contoso.com', '/users/ceo%40contoso.com/messages'],
    ['/users/ops%40contoso.com', '/users/ops%40contoso.com%2F..%2Fceo/messages'],
    ['/users/ops%40contoso.com', '/me/messages'],
    ['/users/ops%40contoso.com', 'https://graph.microsoft.com/v1.0/users/ops@contoso.com.evil/messages'],
  ])('root %s refuses %s before any request', (root, p) => {
    expect(() => make(root).resolveUrl(p)).toThrowError(GraphRequestRefusedError);
  });
});
