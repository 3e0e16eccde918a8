import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToHtml, textToHtml } from '../../src/text/markdown.js';
import { sanitizeHtml } from '../../src/text/sanitize-html.js';
import { prependHtml, renderBody } from '../../src/services/drafts.js';
import { assertNoAttendees, eventBodyHtml, PROPOSED_LINE } from '../../src/services/event-drafts.js';
import { checkRecipientCount, checkSizes, parseAddress, MAX_RECIPIENTS } from '../../src/drafts/validate.js';
import { DraftInputError } from '../../src/drafts/errors.js';

describe('markdownToHtml', () => {
  it('renders the supported subset', () => {
    expect(markdownToHtml('# Title\n\nHello **bold** and *it* and `code`\nnext line')).toBe('<h1>Title</h1>\n<p>Hello <strong>bold</strong> and <em>it</em> and <code>code</code><br>next line</p>');
    expect(markdownToHtml('- a\n- b\n\n1. x\n2. y')).toBe('<ul><li>a</li><li>b</li></ul>\n<ol><li>x</li><li>y</li></ol>');
    expect(markdownToHtml('> quoted\n\n```\n<b>raw</b>\n```')).toBe('<blockquote><p>quoted</p></blockquote>\n<pre><code>&lt;b&gt;raw&lt;/b&gt;</code></pre>');
    expect(markdownToHtml('[site](https://example.com/?a=1&b=2)')).toBe('<p><a href="https://example.com/?a=1&amp;b=2">site</a></p>');
  });

  it('never passes raw HTML or unsafe links through', () => {
    const out = markdownToHtml('<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>1</script>');
    expect(out).not.toMatch(/<img|<script|href="javascript/);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('sanitizeHtml', () => {
  it('keeps formatting and drops scripts, styles, handlers and unsafe URLs', () => {
    expect(sanitizeHtml('<div style="x" onmouseover="y"><b>Hi</b> <a href="https://a.example" onclick="z">a</a></div>')).toBe('<div><b>Hi</b> <a href="https://a.example">a</a></div>');
    expect(sanitizeHtml('<script>alert(1)</script><style>p{}</style><iframe src="x"><p>in</p></iframe>ok')).toBe('ok');
    expect(sanitizeHtml('<a href=" javascript:alert(1)">x</a><a href="data:text/html,x">y</a>')).toBe('<a>x</a><a>y</a>');
    expect(sanitizeHtml('<p>unclosed <b>bold')).toBe('<p>unclosed <b>bold</b></p>');
    expect(sanitizeHtml('a &lt;b&gt; &amp;')).toBe('a &lt;b&gt; &amp;');
    expect(sanitizeHtml('<svg><script>x</script></svg><br>after')).toBe('<br>after');
  });
});

describe('bodies', () => {
  it('text is escaped with line breaks kept; format selects the renderer', async () => {
    expect(textToHtml('a<b\r\nc')).toBe('a&lt;b<br>\nc');
    expect(await renderBody('**x**', 'text')).toBe('**x**');
    expect(await renderBody('**x**')).toBe('<p><strong>x</strong></p>');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('puts a reply above the quoted history, inside <body>', () => {
    expect(prependHtml('<html><body class="x"><hr>old</body></html>', '<p>new</p>')).toBe('<html><body class="x"><div><p>new</p></div><hr>old</body></html>');
    expect(prependHtml('old', '<p>new</p>')).toBe('<p>new</p>\nold');
  });

  it('event bodies carry the visible proposed-attendees line; attendees never reach a request', () => {
    const html = eventBodyHtml('<p>Agenda</p>', [{ address: 'a@b.example', name: 'A <B>' }]);
    expect(html).toContain(PROPOSED_LINE.replace('—', '—'));
    expect(html).toContain('A &lt;B&gt; &lt;a@b.example&gt;');
    expect(eventBodyHtml('', [])).toBe('');
    expect(() => assertNoAttendees({ subject: 'x', Attendees: [] })).toThrow(/never be written with attendees/);
    expect(() => assertNoAttendees({ subject: 'x' })).not.toThrow();
  });
});

describe('validation', () => {
  it('parses addresses and refuses lists, header injection and junk', () => {
    expect(parseAddress(' Dana Lee <dana@fabrikam.example> ', 'to')).toEqual({ name: 'Dana Lee', address: 'dana@fabrikam.example' });
    expect(parseAddress('"Lee, Dana" <dana@fabrikam.example>', 'to')).toEqual({ name: 'Lee, Dana', address: 'dana@fabrikam.example' });
    for (const bad of ['a@b', 'a b@c.example', 'a@b.example, c@d.example', 'x@y.example>\r\nBcc: z@z.example', '<>', 'plain']) {
      expect(() => parseAddress(bad, 'to[0]')).toThrow(DraftInputError);
    }
  });

  it('limits recipients, subject and body', () => {
    const many = Array.from({ length: MAX_RECIPIENTS }, (_, i) => ({ address: `u${i}@x.example` }));
    expect(() => checkRecipientCount(many)).not.toThrow();
    expect(() => checkRecipientCount(many, [{ address: 'one@more.example' }])).toThrow(/at most 500/);
    expect(() => checkSizes('x'.repeat(256), undefined)).toThrow(/255/);
    expect(() => checkSizes('a\nb', undefined)).toThrow(/one line/);
    expect(() => checkSizes('ok', 'x'.repeat(1_000_001))).toThrow(/attach the text/);
  });
});
