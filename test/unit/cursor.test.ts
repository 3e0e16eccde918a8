import { describe, expect, it } from 'vitest';
import { CursorError, decodeCursor, encodeCursor } from '../../src/services/cursor.js';

describe('cursor', () => {
  it('round-trips the nextLink whole, with local state', () => {
    const link = 'https://graph.microsoft.com/v1.0/me/messages?$skiptoken=a%2Fb%3D&$top=25';
    const c = encodeCursor('ol_email_search', link, { f: { u: true } });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('ol_email_search', c)).toEqual({ nextLink: link, extra: { f: { u: true } } });
  });

  it('refuses a cursor from another tool, naming it', () => {
    const c = encodeCursor('ol_email_search', 'https://x/v1.0/me/messages');
    expect(() => decodeCursor('ol_calendar_list_events', c)).toThrowError(/belongs to ol_email_search/);
  });

  it.each(['garbage', '', 'eyJ9', Buffer.from('{"t":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url')])('refuses %j with a next step', (c) => {
    expect(() => decodeCursor('ol_email_search', c)).toThrowError(CursorError);
  });
});
