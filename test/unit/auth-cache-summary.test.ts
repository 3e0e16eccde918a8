import { describe, expect, it } from 'vitest';
import { storedSignIn, summarizeCache } from '../../src/auth/cache-summary.js';
import { scopesFor } from '../../src/auth/scopes.js';

const HOME = 'uid1.tid1';
const cache = (target: string, expiresOn: number, withRefresh = true) =>
  JSON.stringify({
    Account: { [`${HOME}-login.microsoftonline.com-tid1`]: { home_account_id: HOME, environment: 'login.microsoftonline.com', realm: 'tid1', username: 'avery@contoso.com', name: 'Avery Quinn', local_account_id: 'uid1' } },
    IdToken: {},
    AccessToken: {
      k1: { home_account_id: HOME, environment: 'login.microsoftonline.com', credential_type: 'AccessToken', client_id: 'c', secret: 'SECRET-AT', realm: 'tid1', target: target, expires_on: String(expiresOn) },
    },
    RefreshToken: withRefresh ? { k2: { home_account_id: HOME, environment: 'login.microsoftonline.com', credential_type: 'RefreshToken', client_id: 'c', secret: 'SECRET-RT' } } : {},
    AppMetadata: {},
  });

const readOnly = scopesFor({ allowDrafts: false, allowSend: false, cloud: 'global', authMode: 'delegated' });
const now = new Date('2026-06-01T00:00:00Z');
const later = now.getTime() / 1000 + 3600;

describe('summarizeCache / storedSignIn', () => {
  it('reads account, tenant, scopes and expiry without copying a secret', () => {
    const summary = summarizeCache(cache('mail.read calendars.read people.read user.read openid profile', later));
    expect(JSON.stringify(summary)).not.toMatch(/SECRET/);
    const s = storedSignIn(summary, readOnly, now);
    expect(s).toMatchObject({
      signedIn: true,
      account: 'Avery Quinn <avery@contoso.com>',
      tenantId: 'tid1',
      accountType: 'work or school',
      grantedScopes: ['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read'],
      requestedScopes: ['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read'],
      missingScopes: [],
      extraScopes: [],
      hasRefreshToken: true,
    });
    expect(s.accessTokenExpiresOn?.getTime()).toBe(later * 1000);
  });

  it('reports a wider grant (Mail.Send consented earlier) and a narrower one', () => {
    const wide = storedSignIn(summarizeCache(cache('mail.read calendars.read people.read user.read mail.send', later)), readOnly, now);
    expect(wide.extraScopes).toEqual(['Mail.Send']);
    const drafts = scopesFor({ allowDrafts: true, allowSend: false, cloud: 'global', authMode: 'delegated' });
    const narrow = storedSignIn(summarizeCache(cache('mail.read calendars.read people.read user.read', later)), drafts, now);
    expect(narrow.missingScopes).toEqual(['Mail.ReadWrite', 'Calendars.ReadWrite']);
  });

  it('is signed in while a refresh token exists, even with an expired access token', () => {
    expect(storedSignIn(summarizeCache(cache('mail.read', 1)), readOnly, now).signedIn).toBe(true);
    expect(storedSignIn(summarizeCache(cache('mail.read', 1, false)), readOnly, now).signedIn).toBe(false);
  });

  it('treats empty or foreign data as not signed in', () => {
    expect(storedSignIn(summarizeCache(undefined), readOnly, now)).toMatchObject({ signedIn: false, unreadable: false });
    expect(storedSignIn(summarizeCache('{not json'), readOnly, now)).toMatchObject({ signedIn: false, unreadable: true });
    expect(summarizeCache('[]').unreadable).toBe(true);
  });
});
