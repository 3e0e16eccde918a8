import { describe, expect, it } from 'vitest';
import { extraScopes, graphPermissions, missingScopes, normalizeScope, permissionsFor, scopesFor, settingNeeding } from '../../src/auth/scopes.js';
import { CLOUDS, type CloudName } from '../../src/config/clouds.js';

const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];
const FLAGS = [
  { allowDrafts: false, allowSend: false },
  { allowDrafts: true, allowSend: false },
  { allowDrafts: true, allowSend: true },
  // Refused by the configuration, and still never asks for Mail.Send.
  { allowDrafts: false, allowSend: true },
];

describe('scopesFor (docs/DESIGN.md promise 4: scopes follow the flags)', () => {
  it('asks for the .Shared permissions only with OUTLOOK_ALLOW_SHARED_MAILBOXES, ReadWrite.Shared only with drafts too', () => {
    expect(permissionsFor({ allowDrafts: true, allowSend: true })).not.toEqual(expect.arrayContaining(['Mail.Read.Shared']));
    expect(permissionsFor({ allowDrafts: false, allowSend: false, allowSharedMailboxes: true })).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Mail.Read.Shared', 'Calendars.Read.Shared']);
    expect(permissionsFor({ allowDrafts: true, allowSend: false, allowSharedMailboxes: true })).toEqual([
      'Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Mail.Read.Shared', 'Calendars.Read.Shared', 'Mail.ReadWrite', 'Calendars.ReadWrite', 'Mail.ReadWrite.Shared', 'Calendars.ReadWrite.Shared',
    ]);
    // Mail.ReadWrite.Shared covers Mail.Read.Shared, as in Graph; Mail.ReadWrite does not.
    expect(missingScopes(['Mail.ReadWrite.Shared'], ['Mail.Read.Shared'])).toEqual([]);
    expect(missingScopes(['Mail.ReadWrite'], ['Mail.Read.Shared'])).toEqual(['Mail.Read.Shared']);
    expect(settingNeeding(['Calendars.Read.Shared'])).toBe('OUTLOOK_ALLOW_SHARED_MAILBOXES=true');
  });

  it('asks for Group.Read.All only with OUTLOOK_ALLOW_GROUP_MAILBOXES, and names the setting when it is missing', () => {
    for (const f of FLAGS) expect(permissionsFor({ ...f, allowSharedMailboxes: true })).not.toContain('Group.Read.All');
    expect(permissionsFor({ allowDrafts: false, allowSend: false, allowGroupMailboxes: true })).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Group.Read.All']);
    expect(scopesFor({ allowDrafts: false, allowSend: false, allowGroupMailboxes: true, cloud: 'usgov', authMode: 'delegated' })).toContain('https://graph.microsoft.us/Group.Read.All');
    expect(missingScopes(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'offline_access'], scopesFor({ allowDrafts: false, allowSend: false, allowGroupMailboxes: true, cloud: 'global', authMode: 'delegated' }))).toEqual(['Group.Read.All']);
    expect(graphPermissions(['group.read.all'])).toEqual(['Group.Read.All']);
    expect(settingNeeding(['Group.Read.All'])).toBe('OUTLOOK_ALLOW_GROUP_MAILBOXES=true');
  });

  it('read-only by default: Mail.Read Calendars.Read People.Read User.Read offline_access', () => {
    expect(scopesFor({ allowDrafts: false, allowSend: false, cloud: 'global', authMode: 'delegated' })).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'offline_access']);
  });

  it('drafts add Mail.ReadWrite and Calendars.ReadWrite; send adds Mail.Send', () => {
    expect(scopesFor({ allowDrafts: true, allowSend: false, cloud: 'global', authMode: 'delegated' })).toEqual(['Mail.Read', 'Calendars.Read', 'People.Read', 'User.Read', 'Mail.ReadWrite', 'Calendars.ReadWrite', 'offline_access']);
    expect(scopesFor({ allowDrafts: true, allowSend: true, cloud: 'global', authMode: 'delegated' })).toEqual([
      'Mail.Read',
      'Calendars.Read',
      'People.Read',
      'User.Read',
      'Mail.ReadWrite',
      'Calendars.ReadWrite',
      'Mail.Send',
      'offline_access',
    ]);
  });

  it.each(CLOUD_NAMES.flatMap((cloud) => FLAGS.map((f) => [cloud, f] as const)))('%s %j: Mail.Send only when send (and drafts) are enabled', (cloud, f) => {
    const scopes = scopesFor({ ...f, cloud, authMode: 'delegated' });
    const hasSend = scopes.some((s) => /mail\.send$/i.test(s));
    expect(hasSend).toBe(f.allowDrafts && f.allowSend);
    expect(scopes.some((s) => /readwrite$/i.test(s))).toBe(f.allowDrafts);
  });

  it.each([
    ['usgov', 'https://graph.microsoft.us/Mail.Read'],
    ['usgov-dod', 'https://dod-graph.microsoft.us/Mail.Read'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn/Mail.Read'],
  ] as const)('%s qualifies scopes with its own Graph host', (cloud, first) => {
    const scopes = scopesFor({ allowDrafts: false, allowSend: false, cloud, authMode: 'delegated' });
    expect(scopes[0]).toBe(first);
    expect(scopes).toContain('offline_access');
    expect(scopes.filter((s) => s !== 'offline_access').every((s) => s.startsWith(`https://${CLOUDS[cloud].graphHost}/`))).toBe(true);
  });

  it.each(CLOUD_NAMES)('service principal in %s asks for <graph>/.default only', (cloud) => {
    expect(scopesFor({ allowDrafts: true, allowSend: true, cloud, authMode: 'service-principal' })).toEqual([`https://${CLOUDS[cloud].graphHost}/.default`]);
  });

  it('permissionsFor never returns Mail.Send without drafts', () => {
    expect(permissionsFor({ allowDrafts: false, allowSend: true })).not.toContain('Mail.Send');
  });
});

describe('comparing grants', () => {
  it('normalizes hosts and case', () => {
    expect(normalizeScope('https://graph.microsoft.us/Mail.Read')).toBe('mail.read');
    expect(normalizeScope(' User.Read ')).toBe('user.read');
    expect(graphPermissions(['mail.read user.read openid profile offline_access', 'https://graph.microsoft.com/Calendars.Read', 'email'])).toEqual(['Mail.Read', 'User.Read', 'Calendars.Read']);
  });

  it('finds what is missing; ReadWrite covers Read', () => {
    const requested = scopesFor({ allowDrafts: true, allowSend: false, cloud: 'global', authMode: 'delegated' });
    expect(missingScopes(['mail.read', 'calendars.read', 'user.read'], requested)).toEqual(['People.Read', 'Mail.ReadWrite', 'Calendars.ReadWrite']);
    expect(missingScopes(['Mail.ReadWrite', 'Calendars.ReadWrite', 'People.Read', 'User.Read'], requested)).toEqual([]);
    expect(missingScopes(['Mail.ReadWrite', 'Calendars.ReadWrite', 'User.Read'], ['Mail.Read', 'Calendars.Read', 'User.Read'])).toEqual([]);
    expect(missingScopes(['https://graph.microsoft.us/Mail.Read'], ['https://graph.microsoft.us/Mail.Read', 'offline_access'])).toEqual([]);
  });

  it('finds what was granted beyond the request (e.g. Mail.Send consented earlier)', () => {
    const requested = scopesFor({ allowDrafts: false, allowSend: false, cloud: 'global', authMode: 'delegated' });
    expect(extraScopes(['Mail.Read', 'Calendars.Read', 'User.Read', 'Mail.Send'], requested)).toEqual(['Mail.Send']);
    expect(extraScopes(['Mail.Read', 'Calendars.Read', 'User.Read', 'openid'], requested)).toEqual([]);
  });

  it('names the setting that needs a permission', () => {
    expect(settingNeeding(['Mail.Send'])).toBe('OUTLOOK_ALLOW_SEND=true');
    expect(settingNeeding(['Mail.ReadWrite', 'Calendars.ReadWrite'])).toBe('OUTLOOK_ALLOW_DRAFTS=true');
    expect(settingNeeding(['User.Read'])).toBe('reading mail, calendars and people');
  });
});
