import { describe, expect, it } from 'vitest';
import { GroupReferenceError, namesGroup, parseGroupReference } from '../../src/services/group-directory.js';

describe('group references (mailbox: "group:<id or address>")', () => {
  it('tells a group from a mailbox by its prefix, in any case', () => {
    expect(namesGroup('group:x@contoso.com')).toBe(true);
    expect(namesGroup(' Group:ABC')).toBe(true);
    expect(namesGroup('groups@contoso.com')).toBe(false);
    expect(namesGroup(undefined)).toBe(false);
    expect(namesGroup(42)).toBe(false);
  });

  it('takes a GUID as the id (lower-cased) and anything else that is an address as an address', () => {
    expect(parseGroupReference('group:0A1F0000-9A00-4C00-8000-0000000000F1')).toEqual({ id: '0a1f0000-9a00-4c00-8000-0000000000f1' });
    expect(parseGroupReference('GROUP: Falcon@Contoso.com ')).toEqual({ address: 'falcon@contoso.com' });
  });

  it.each(['group:', 'group:../me/messages', 'group:a@b/../../me', 'group:two words@x.com', 'group:x@y.com?$top=1', 'group:\u202ex@y.com'])('refuses %j with what to pass instead', (v) => {
    expect(() => parseGroupReference(v)).toThrowError(GroupReferenceError);
    expect(() => parseGroupReference(v)).toThrowError(/Pass group:<the group's object id \(a GUID\)> or group:<the group's email address>/);
  });
});
