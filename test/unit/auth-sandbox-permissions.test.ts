import { describe, expect, it } from 'vitest';
import { checkGrant, requirementFor, type Grant } from '../../src/sandbox/identity/permissions.js';
import { signAccessToken, signRefreshToken, verifyAccessToken, verifyRefreshToken } from '../../src/sandbox/identity/tokens.js';

const grant = (appOnly: boolean, ...p: string[]): Grant => ({ appOnly, permissions: new Set(p.map((x) => x.toLowerCase())) });

describe("sandbox Graph permissions in another person's mailbox", () => {
  const full = { access: 'full' as const };
  it('a delegated token needs the .Shared permission there; an app-only token its application permission', () => {
    expect(checkGrant(grant(false, 'Mail.Read'), 'GET', ['messages'], false, full)?.code).toBe('ErrorAccessDenied');
    expect(checkGrant(grant(false, 'Mail.Read.Shared'), 'GET', ['messages'], false, full)).toBeUndefined();
    expect(checkGrant(grant(false, 'Mail.Read.Shared'), 'POST', ['messages'], false, full)?.status).toBe(403);
    expect(checkGrant(grant(false, 'Mail.ReadWrite.Shared'), 'POST', ['messages'], false, full)).toBeUndefined();
    expect(checkGrant(grant(false, 'Calendars.Read'), 'GET', ['calendarView'], false, full)?.status).toBe(403);
    expect(checkGrant(grant(false, 'Calendars.Read.Shared'), 'GET', ['calendarView'], false, full)).toBeUndefined();
    // Sending from it is Mail.Send (Send As / on Behalf are Exchange rights, not scopes).
    expect(checkGrant(grant(false, 'Mail.Send'), 'POST', ['messages', 'x', 'send'], false, full)).toBeUndefined();
    expect(checkGrant(grant(true, 'Mail.Read'), 'GET', ['messages'], false, { access: 'none' })).toBeUndefined();
  });

  it("the person's rights there decide next, and another mailbox's settings are never readable by a delegated token", () => {
    const shared = grant(false, 'Mail.Read.Shared', 'Calendars.Read.Shared', 'MailboxSettings.Read');
    expect(checkGrant(shared, 'GET', ['messages'], false, { access: 'none' })?.code).toBe('ErrorAccessDenied');
    expect(checkGrant(shared, 'GET', ['messages'], false, { access: 'calendar' })?.status).toBe(403);
    expect(checkGrant(shared, 'GET', ['calendarView'], false, { access: 'calendar' })).toBeUndefined();
    expect(checkGrant(shared, 'GET', ['mailboxSettings'], false, full)?.status).toBe(403);
    expect(checkGrant(shared, 'GET', ['mailboxSettings'], true)).toBeUndefined();
    expect(checkGrant(grant(true, 'MailboxSettings.Read'), 'GET', ['mailboxSettings'], false, full)).toBeUndefined();
  });
});

describe('sandbox Graph permissions per route', () => {
  it.each([
    ['GET', [], ['User.Read']],
    ['GET', ['messages'], ['Mail.Read', 'Mail.ReadWrite']],
    ['GET', ['mailFolders', 'inbox', 'messages'], ['Mail.Read', 'Mail.ReadWrite']],
    ['POST', ['messages'], ['Mail.ReadWrite']],
    ['PATCH', ['messages', 'x'], ['Mail.ReadWrite']],
    ['POST', ['messages', 'x', 'send'], ['Mail.Send']],
    ['POST', ['messages', 'x', 'replyAll'], ['Mail.Send']],
    ['POST', ['sendMail'], ['Mail.Send']],
    ['GET', ['calendar', 'calendarView'], ['Calendars.Read', 'Calendars.ReadWrite']],
    ['DELETE', ['events', 'x'], ['Calendars.ReadWrite']],
  ] as const)('%s /%s needs one of %j', (method, segments, anyOf) => {
    expect(requirementFor(method, segments, false)?.anyOf).toEqual(expect.arrayContaining([...anyOf]));
    expect(checkGrant(grant(false, anyOf[0]), method, segments, true)).toBeUndefined();
    const refused = checkGrant(grant(false, 'openid'), method, segments, true);
    expect(refused?.status).toBe(403);
  });

  it('Mail.Read does not allow writing or sending; ReadWrite does not allow sending', () => {
    expect(checkGrant(grant(false, 'Mail.Read'), 'POST', ['messages'], true)?.code).toBe('ErrorAccessDenied');
    expect(checkGrant(grant(false, 'Mail.ReadWrite'), 'POST', ['messages', 'x', 'send'], true)?.code).toBe('ErrorAccessDenied');
    expect(checkGrant(grant(false, 'Mail.Read'), 'GET', [], true)?.code).toBe('Authorization_RequestDenied');
  });

  it('app-only tokens: /me is a 400, /users/{id} needs User.Read.All for the user object', () => {
    expect(checkGrant(grant(true, 'Mail.Read'), 'GET', ['messages'], true)?.status).toBe(400);
    expect(checkGrant(grant(true, 'Mail.Read'), 'GET', ['messages'], false)).toBeUndefined();
    expect(checkGrant(grant(true, 'Mail.Read'), 'GET', [], false)?.status).toBe(403);
    expect(checkGrant(grant(true, 'User.Read.All'), 'GET', [], false)).toBeUndefined();
  });
});

describe('sandbox tokens', () => {
  it('verify only when untouched', () => {
    const at = signAccessToken({ aud: 'g', iss: 'i', tid: 't', appid: 'a', idtyp: 'user', scp: 'Mail.Read', iat: 1, nbf: 1, exp: 2, iat_ms: 1000, uti: 'u' });
    expect(verifyAccessToken(at)?.scp).toBe('Mail.Read');
    const [h, p, sig] = at.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), scp: 'Mail.Send' })).toString('base64url');
    expect(verifyAccessToken(`${h}.${forged}.${sig}`)).toBeUndefined();
    const rt = signRefreshToken({ sub: 's', tid: 't', personal: false, cid: 'c', scp: ['Mail.Read'], fam: 'f', gen: 1, iat_ms: 1 });
    expect(verifyRefreshToken(rt)?.gen).toBe(1);
    expect(verifyRefreshToken(rt.slice(0, -2) + 'xx')).toBeUndefined();
    expect(verifyRefreshToken('garbage')).toBeUndefined();
  });
});
