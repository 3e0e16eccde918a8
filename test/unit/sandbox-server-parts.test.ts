import { describe, expect, it } from 'vitest';
import type { Handler } from '../../src/sandbox/context.js';
import { GraphErrorResponse } from '../../src/sandbox/errors.js';
import { htmlToText, previewOf, textToHtml } from '../../src/sandbox/html-text.js';
import { Injections } from '../../src/sandbox/injection.js';
import { findFolder, isWellFormedId } from '../../src/sandbox/lookup.js';
import type { SandboxMailbox } from '../../src/sandbox/model.js';
import { readQuery, readTop } from '../../src/sandbox/odata/query.js';
import { PageTokens } from '../../src/sandbox/paging.js';
import { redactHeaders } from '../../src/sandbox/request-log.js';
import { Router } from '../../src/sandbox/router.js';
import { parseInstant } from '../../src/sandbox/time.js';

const ok: Handler = () => ({ status: 200, json: {} });

describe('router', () => {
  const router = new Router([
    { method: 'GET', pattern: 'messages', handler: ok },
    { method: 'GET', pattern: 'messages/{messageId}', handler: ok },
    { method: 'POST', pattern: 'messages/{messageId}/send', handler: ok },
  ]);

  it('matches literals case-insensitively and passes decoded parameters', () => {
    expect(router.match('GET', ['Messages', 'a/b+c=']).params).toEqual({ messageId: 'a/b+c=' });
  });

  it('answers 405 for a known path with another method, 400 naming the unknown segment otherwise', () => {
    expect(() => router.match('DELETE', ['messages'])).toThrow(expect.objectContaining({ status: 405 }));
    expect(() => router.match('GET', ['messages', 'x', 'sned'])).toThrow("Resource not found for the segment 'sned'.");
    expect(() => router.match('GET', ['mesages'])).toThrow("Resource not found for the segment 'mesages'.");
  });
});

describe('page tokens', () => {
  it('round-trips state for the same route only', () => {
    const pages = new PageTokens();
    const token = pages.encode({ route: '/v1.0/me/messages', query: { $top: '5' }, offset: 10 });
    expect(pages.decode(token, '/v1.0/me/messages')).toEqual({ route: '/v1.0/me/messages', query: { $top: '5' }, offset: 10 });
    expect(() => pages.decode(token, '/v1.0/me/events')).toThrow(GraphErrorResponse);
  });

  it('refuses tokens it did not sign, including another sandbox’s', () => {
    const a = new PageTokens();
    const token = a.encode({ route: '/r', query: {}, offset: 10 });
    expect(() => new PageTokens().decode(token, '/r')).toThrow(GraphErrorResponse);
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify(['/r', {}, 1000])).toString('base64url');
    expect(() => a.decode(`${forged}.${sig}`, '/r')).toThrow(GraphErrorResponse);
    expect(() => a.decode(payload as string, '/r')).toThrow(GraphErrorResponse);
  });
});

describe('query options', () => {
  it('reads system options without regard to case and refuses repeats and inventions', () => {
    expect(readQuery('$TOP=5&startDateTime=x')).toEqual({ $top: '5', startDateTime: 'x' });
    expect(() => readQuery('$top=1&$top=2')).toThrow('specified more than once');
    expect(() => readQuery('$foo=1')).toThrow(GraphErrorResponse);
  });

  it('checks $top ranges', () => {
    expect(readTop({ $top: '1000' })).toBe(1000);
    expect(() => readTop({ $top: '0' })).toThrow(expect.objectContaining({ code: 'ErrorInvalidArgument' }));
    expect(() => readTop({ $top: '-1' })).toThrow(expect.objectContaining({ code: 'BadRequest' }));
  });
});

describe('ids', () => {
  it('accepts base64 ids in either alphabet and occurrence suffixes, refuses the rest as malformed', () => {
    const id = 'AAMkADViM2U3YzFhLTkyZDQtNGYwZS1hOGI2LTNjNzFkOWUyZjQwNQBGAAAAAACtMohGqhizKjNYFjdFEcrB';
    expect(isWellFormedId(id)).toBe(true);
    expect(isWellFormedId(`${id.replace(/A/g, '+')}/=`)).toBe(true);
    expect(isWellFormedId(`${id}.20250310`)).toBe(true);
    expect(isWellFormedId('foo')).toBe(false);
    expect(isWellFormedId(`${id} `)).toBe(false);
    expect(isWellFormedId(`${id}.x`)).toBe(false);
  });

  it('resolves well-known folder names case-insensitively', () => {
    const mailbox = { folders: [{ id: 'x'.repeat(40), wellKnownName: 'inbox' }] } as unknown as SandboxMailbox;
    expect(findFolder(mailbox, 'InBox').id).toBe('x'.repeat(40));
    expect(() => findFolder(mailbox, 'archive')).toThrow(expect.objectContaining({ code: 'ErrorItemNotFound' }));
  });
});

describe('HTML to text', () => {
  it('strips markup but keeps hidden text, decodes entities and drops style/script', () => {
    const html = '<html><head><style>.x{display:none}</style></head><body><p>Hello&nbsp;<b>there</b> &amp; &#x263A;</p><span style="display:none;font-size:0">hidden</span><script>x()</script><br>bye</body></html>';
    expect(htmlToText(html)).toBe('Hello there & ☺\nhidden\nbye');
  });

  it('derives a 255-character preview with whitespace collapsed', () => {
    expect(previewOf('  a\n\n b\tc ')).toBe('a b c');
    expect(previewOf('x'.repeat(300))).toHaveLength(255);
  });

  it('wraps text as HTML, escaping it', () => {
    expect(textToHtml('a < b\nc')).toContain('<div>a &lt; b<br>\r\nc</div>');
  });
});

describe('supporting pieces', () => {
  it('parses instants; no offset means UTC', () => {
    expect(parseInstant('2025-03-10T08:00:00')).toBe(Date.UTC(2025, 2, 10, 8));
    expect(parseInstant('2025-03-10T08:00:00.1234567Z')).toBe(Date.UTC(2025, 2, 10, 8, 0, 0, 123));
    expect(parseInstant('2025-03-10T10:00:00+02:00')).toBe(Date.UTC(2025, 2, 10, 8));
    expect(parseInstant('2025-02-30')).toBeUndefined();
    expect(parseInstant('yesterday')).toBeUndefined();
  });

  it('redacts the authorization header whatever its scheme', () => {
    expect(redactHeaders({ authorization: 'Bearer secret', prefer: ['a', 'b'] })).toEqual({ authorization: 'Bearer <redacted>', prefer: 'a, b' });
  });

  it('consumes injections in order, matching method and path', () => {
    const inj = new Injections();
    inj.add({ status: 503, times: 2, match: { method: 'post', pathIncludes: '/sendMail' } });
    expect(inj.take('GET', '/v1.0/me/sendMail', '/v1.0/me/sendMail')).toBeUndefined();
    expect(inj.take('POST', '/v1.0/me/sendMail', '/v1.0/me/sendMail')?.code).toBe('ServiceUnavailable');
    expect(inj.take('POST', '/v1.0/me/sendMail', '/v1.0/me/sendMail')?.status).toBe(503);
    expect(inj.take('POST', '/v1.0/me/sendMail', '/v1.0/me/sendMail')).toBeUndefined();
  });
});
