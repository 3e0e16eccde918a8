/**
 * Message bodies in the markup real mail clients produce: Outlook/OWA
 * (`elementToProof` divs, `divRplyFwdMsg` reply headers), Gmail
 * (`gmail_quote` blockquotes), older Outlook (`-----Original Message-----`)
 * and table-based newsletter templates.
 */
import type { Person } from './people.js';

/** A piece of message content: a paragraph, a list, a table, or raw HTML with its text rendering. */
export type Block = string | { list: readonly string[] } | { table: ReadonlyArray<readonly string[]> } | { html: string; text: string };

/** How a client quotes the message being replied to. */
export type QuoteStyle = 'outlook' | 'gmail' | 'original';

/** A body as HTML (inside `<body>`) and as the text a client would send alongside. */
export interface BodyParts {
  html: string;
  text: string;
}

/** The header fields a quote repeats. */
export interface QuotedHeader {
  from: Person;
  to: readonly Person[];
  cc: readonly Person[];
  subject: string;
  longDate: string;
  shortDate: string;
}

const OWA_FONT = 'font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

function blockText(block: Block): string {
  if (typeof block === 'string') return block;
  if ('list' in block) return block.list.map((item) => `- ${item}`).join('\n');
  if ('table' in block) return block.table.map((row) => row.join(' | ')).join('\n');
  return block.text;
}

function blockHtml(block: Block, style: 'outlook' | 'gmail'): string {
  if (typeof block === 'string') {
    return style === 'outlook'
      ? `<div class="elementToProof" style="${OWA_FONT}">${escapeHtml(block)}</div>`
      : `<div>${escapeHtml(block)}</div>`;
  }
  if ('list' in block) {
    return `<ul style="margin-top: 0px; margin-bottom: 0px;">${block.list.map((item) => `<li style="${OWA_FONT}">${escapeHtml(item)}</li>`).join('')}</ul>`;
  }
  if ('table' in block) {
    const [head, ...rows] = block.table;
    const cell = (tag: 'th' | 'td', text: string): string => `<${tag} style="border: 1px solid rgb(171, 171, 171); padding: 2px 6px;">${escapeHtml(text)}</${tag}>`;
    return (
      '<table style="border-collapse: collapse; font-family: Calibri, sans-serif; font-size: 11pt;"><tbody>' +
      (head ? `<tr>${head.map((h) => cell('th', h)).join('')}</tr>` : '') +
      rows.map((row) => `<tr>${row.map((c) => cell('td', c)).join('')}</tr>`).join('') +
      '</tbody></table>'
    );
  }
  return block.html;
}

/** The new part of a message written in a mail client, with the sender's signature. */
export function authoredBody(blocks: readonly Block[], signer: Person, style: 'outlook' | 'gmail'): BodyParts {
  const spacer = style === 'outlook' ? `<div class="elementToProof" style="${OWA_FONT}"><br></div>` : '<div><br></div>';
  const parts = blocks.map((block) => blockHtml(block, style));
  const signature = [signer.name, ...signer.signature];
  const signatureHtml = style === 'outlook'
    ? `<div id="Signature" class="elementToProof"><p style="margin: 0px; font-family: Aptos, Calibri, sans-serif; font-size: 10pt;">${signature.map((line, i) => (i === 0 ? `<b>${escapeHtml(line)}</b>` : escapeHtml(line))).join('<br>')}</p></div>`
    : `<div><br clear="all"></div><div>-- <br><div dir="ltr" class="gmail_signature">${signature.map(escapeHtml).join('<br>')}</div></div>`;
  const inner = style === 'outlook'
    ? `${parts.join(spacer)}${spacer}${signatureHtml}`
    : `<div dir="ltr">${parts.join('<div><br></div>')}${signatureHtml}</div>`;
  const text = `${blocks.map(blockText).join('\n\n')}\n\n${style === 'gmail' ? '-- \n' : ''}${signature.join('\n')}`;
  return { html: inner, text };
}

/** Content of an automated sender: the blocks as they stand, no signature. */
export function plainBlocks(blocks: readonly Block[]): BodyParts {
  return { html: blocks.map((block) => blockHtml(block, 'outlook')).join(''), text: blocks.map(blockText).join('\n\n') };
}

const address = (p: Person): string => `${p.name} <${p.address}>`;
const addressHtml = (p: Person): string => `${escapeHtml(p.name)} &lt;${escapeHtml(p.address)}&gt;`;

/** A reply: the new part followed by the previous message quoted in the given client's style. */
export function replyBody(fresh: BodyParts, previous: BodyParts, header: QuotedHeader, style: QuoteStyle): BodyParts {
  const toLine = header.to.map(address).join('; ');
  const ccLine = header.cc.map(address).join('; ');
  const headerLines = [
    `From: ${address(header.from)}`,
    `Sent: ${header.longDate}`,
    `To: ${toLine}`,
    ...(ccLine ? [`Cc: ${ccLine}`] : []),
    `Subject: ${header.subject}`,
  ];
  switch (style) {
    case 'outlook': {
      const rows = [
        `<b>From:</b> ${addressHtml(header.from)}`,
        `<b>Sent:</b> ${escapeHtml(header.longDate)}`,
        `<b>To:</b> ${header.to.map(addressHtml).join('; ')}`,
        ...(header.cc.length ? [`<b>Cc:</b> ${header.cc.map(addressHtml).join('; ')}`] : []),
        `<b>Subject:</b> ${escapeHtml(header.subject)}`,
      ];
      return {
        html:
          `${fresh.html}<div id="appendonsend"></div><hr style="display: inline-block; width: 98%;" tabindex="-1">` +
          `<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size: 11pt;" color="#000000">${rows.join('<br>')}</font><div>&nbsp;</div></div>` +
          `<div>${previous.html}</div>`,
        text: `${fresh.text}\n\n________________________________\n${headerLines.join('\n')}\n\n${previous.text}`,
      };
    }
    case 'gmail': {
      const attribution = `On ${header.shortDate}, ${header.from.name} <${header.from.address}> wrote:`;
      return {
        html:
          `${fresh.html}<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(attribution)}<br></div>` +
          `<blockquote class="gmail_quote" style="margin: 0px 0px 0px 0.8ex; border-left: 1px solid rgb(204, 204, 204); padding-left: 1ex;">${previous.html}</blockquote></div>`,
        text: `${fresh.text}\n\n${attribution}\n${previous.text.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n')}`,
      };
    }
    case 'original':
      return {
        html:
          `${fresh.html}<div><br></div><div style="font-family: Calibri, sans-serif; font-size: 11pt;">-----Original Message-----<br>` +
          `${headerLines.map(escapeHtml).join('<br>')}<br><br></div>${previous.html}`,
        text: `${fresh.text}\n\n-----Original Message-----\n${headerLines.join('\n')}\n\n${previous.text}`,
      };
  }
}

/** A full HTML document around body content, with the head OWA writes. */
export function htmlDocument(inner: string): string {
  return (
    '<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' +
    '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\r\n' +
    `</head>\r\n<body dir="ltr">\r\n${inner}\r\n</body>\r\n</html>\r\n`
  );
}

/** The `uniqueBody` form Graph serves for an HTML message: only the new part. */
export function uniqueHtml(inner: string): string {
  return `<html><body><div>\r\n${inner}</div>\r\n</body></html>`;
}

/** A newsletter-style layout: centred table, header band, footer with unsubscribe link and tracking pixel. */
export function newsletterHtml(opts: { brand: string; colour: string; heading: string; blocks: readonly Block[]; footer: string; trackingUrl: string; viewUrl: string }): BodyParts {
  const content = opts.blocks.map((block) => blockHtml(block, 'gmail').replace(/^<div>/, '<p style="margin: 0 0 12px 0; font-size: 15px; line-height: 22px; color: #333333;">').replace(/<\/div>$/, '</p>')).join('');
  const html =
    `<div style="display: none; max-height: 0px; overflow: hidden;">${escapeHtml(opts.heading)}</div>` +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f3f3f3;"><tbody><tr><td align="center">' +
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="background-color: #ffffff; font-family: Segoe UI, Helvetica, Arial, sans-serif;"><tbody>' +
    `<tr><td style="padding: 8px 24px; font-size: 11px; color: #888888;"><a href="${escapeHtml(opts.viewUrl)}" style="color: #888888;">View in browser</a></td></tr>` +
    `<tr><td style="background-color: ${opts.colour}; padding: 20px 24px; color: #ffffff; font-size: 22px; font-weight: bold;">${escapeHtml(opts.brand)}</td></tr>` +
    `<tr><td style="padding: 24px;"><h1 style="font-size: 20px; margin: 0 0 16px 0; color: #111111;">${escapeHtml(opts.heading)}</h1>${content}</td></tr>` +
    `<tr><td style="padding: 16px 24px; font-size: 11px; color: #888888; border-top: 1px solid #eeeeee;">${opts.footer}</td></tr>` +
    `</tbody></table><img src="${escapeHtml(opts.trackingUrl)}" width="1" height="1" alt="" style="display: block; border: 0;"></td></tr></tbody></table>`;
  const text = `${opts.brand}\n\n${opts.heading}\n\n${opts.blocks.map(blockText).join('\n\n')}\n\nView in browser: ${opts.viewUrl}`;
  return { html, text };
}
