// Realistic mails for the browser-judged corpus, built with the tools that build real mail:
// MJML, Foundation for Emails (Inky, then Juice to inline foundation-emails.css), React Email,
// and hand-made shapes of what Outlook desktop, Outlook on the web, Gmail and Apple Mail send,
// plus Postmark- and Mailchimp-style templates and a Cerberus-style template whose button has
// a VML copy for Outlook and an mso-hide:all copy for everyone else. Returns [relative path, html] pairs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import mjml2html from 'mjml';
import inkyPkg from 'inky';
import juice from 'juice';
import React from 'react';
import { render } from '@react-email/render';
import * as E from '@react-email/components';
import { SCENARIOS } from './scenarios.mjs';

const require = createRequire(import.meta.url);
const FOUNDATION_CSS = readFileSync(require.resolve('foundation-emails/dist/foundation-emails.css'), 'utf8');
const h = React.createElement;

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const PREHEADER_PAD = '&#847;&zwnj;&nbsp;'.repeat(30);

// ---------- MJML ----------

const MJML_STYLES = [
  { bg: '#f4f4f4', card: '#ffffff', accent: '#1a73e8', font: 'Helvetica, Arial, sans-serif' },
  { bg: '#eef2f7', card: '#ffffff', accent: '#0b7a3e', font: 'Georgia, serif' },
  { bg: '#1d1f21', card: '#2b2e31', accent: '#f5a623', font: 'Arial, sans-serif', text: '#e8e8e8' },
];

async function mjmlMail(s, i) {
  const st = MJML_STYLES[i % MJML_STYLES.length];
  const color = st.text ?? '#333333';
  const table = s.items.length
    ? `<mj-table color="${color}" font-size="14px">${s.items.map(([a, b]) => `<tr><td style="padding:4px 0">${esc(a)}</td><td style="text-align:right">${esc(b)}</td></tr>`).join('')}</mj-table>`
    : '';
  const extras = [
    i % 4 === 1 ? `<mj-navbar><mj-navbar-link href="https://example.com/news" color="${st.accent}">News</mj-navbar-link><mj-navbar-link href="https://example.com/about" color="${st.accent}">About us</mj-navbar-link></mj-navbar>` : '',
    i % 4 === 2 ? `<mj-social font-size="13px" icon-size="20px" mode="horizontal"><mj-social-element name="facebook" href="https://facebook.com/example">Facebook</mj-social-element><mj-social-element name="linkedin" href="https://linkedin.com/company/example">LinkedIn</mj-social-element></mj-social>` : '',
  ].join('');
  const accordion = i % 5 === 3
    ? `<mj-section background-color="${st.card}"><mj-column><mj-accordion><mj-accordion-element><mj-accordion-title>Frequently asked questions</mj-accordion-title><mj-accordion-text>Answers are in our help centre, and our team replies within one working day.</mj-accordion-text></mj-accordion-element></mj-accordion></mj-column></mj-section>`
    : '';
  const twoCol = i % 3 === 1
    ? `<mj-section background-color="${st.card}"><mj-column><mj-text color="${color}" font-weight="bold">What happens next</mj-text><mj-text color="${color}">${esc(s.paragraphs.at(-1))}</mj-text></mj-column><mj-column><mj-text color="${color}" font-weight="bold">Need help?</mj-text><mj-text color="${color}">Reply to this email and a person will answer.</mj-text></mj-column></mj-section>`
    : '';
  const source = `<mjml>
  <mj-head>
    <mj-title>${esc(s.subject)}</mj-title>
    <mj-preview>${esc(s.preheader)}</mj-preview>
    <mj-attributes><mj-all font-family="${st.font}"></mj-all><mj-text font-size="15px" line-height="22px"></mj-text></mj-attributes>
    <mj-style inline="inline">.footer-link { color: #888888; }</mj-style>
    <mj-style>@media only screen and (max-width: 480px) { .hide-mobile { display: none !important; } }</mj-style>
  </mj-head>
  <mj-body background-color="${st.bg}">
    <mj-section padding="20px 0"><mj-column><mj-text align="center" color="${st.accent}" font-size="20px" font-weight="bold">${esc(s.signoff.split(/, | from /).pop())}</mj-text></mj-column></mj-section>
    <mj-section background-color="${st.card}" padding="24px">
      <mj-column>
        <mj-text font-size="24px" color="${color}" font-weight="bold">${esc(s.heading)}</mj-text>
        ${s.paragraphs.map((p) => `<mj-text color="${color}">${esc(p)}</mj-text>`).join('\n        ')}
        <mj-button background-color="${st.accent}" color="#ffffff" href="${esc(s.button.href)}">${esc(s.button.label)}</mj-button>
        ${table}
        <mj-divider border-color="#dddddd" border-width="1px"></mj-divider>
        <mj-text color="${color}">${esc(s.signoff)}</mj-text>
        ${extras}
      </mj-column>
    </mj-section>
    ${twoCol}
    ${accordion}
    <mj-section><mj-column><mj-text align="center" color="#888888" font-size="12px">${s.footer.map(esc).join('<br>')}</mj-text></mj-column></mj-section>
  </mj-body>
</mjml>`;
  const out = await mjml2html(source, { validationLevel: 'strict' });
  if (out.errors.length) throw new Error(`MJML ${s.id}: ${out.errors.map((e) => e.formattedMessage).join('; ')}`);
  return out.html;
}

// ---------- Foundation for Emails (Inky + Juice) ----------

const inky = new inkyPkg.Inky();

function foundationMail(s, i) {
  const items = s.items.length
    ? `<row><columns small="12"><table class="items">${s.items.map(([a, b]) => `<tr><td>${esc(a)}</td><td class="text-right">${esc(b)}</td></tr>`).join('')}</table></columns></row>`
    : '';
  const callout = i % 2 === 0 ? `<callout class="primary"><p>${esc(s.preheader)}</p></callout>` : '';
  const menu = i % 3 === 0 ? '<menu class="text-center"><item href="https://example.com/account">Account</item><item href="https://example.com/help">Help</item><item href="https://example.com/privacy">Privacy</item></menu>' : '';
  const inkySource = `<container>
  <spacer size="16"></spacer>
  <row><columns small="12"><h1>${esc(s.heading)}</h1></columns></row>
  <row><columns small="12" large="${i % 2 ? 8 : 12}">
    ${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n    ')}
  </columns>${i % 2 ? `<columns small="12" large="4"><p class="small"><strong>Need help?</strong> Visit our help centre any time.</p></columns>` : ''}</row>
  ${callout}
  <row><columns small="12"><button class="${i % 2 ? 'expanded' : 'radius'}" href="${esc(s.button.href)}">${esc(s.button.label)}</button></columns></row>
  ${items}
  <row><columns small="12"><p>${esc(s.signoff)}</p></columns></row>
  <wrapper class="footer"><row><columns small="12">${menu}${s.footer.map((f) => `<p class="text-center small">${esc(f)}</p>`).join('')}</columns></row></wrapper>
</container>`;
  const body = inky.releaseTheKraken(inkySource);
  const page = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width">
<title>${esc(s.subject)}</title>
<style>${FOUNDATION_CSS}
.preheader { display:none !important; visibility:hidden; mso-hide:all !important; font-size:1px; color:#f3f3f3; line-height:1px; max-height:0px; max-width:0px; opacity:0; overflow:hidden; }
.items td { padding: 4px 0; }
.small { font-size: 13px; color: #777777; }
</style>
</head>
<body>
<span class="preheader">${esc(s.preheader)}</span>
<table class="body" data-made-with-foundation=""><tr><td class="float-center" align="center" valign="top"><center>
${body}
</center></td></tr></table>
</body>
</html>`;
  return juice(page, { preserveMediaQueries: true, removeStyleTags: true });
}

// ---------- React Email ----------

async function reactMail(s, i) {
  const text = { fontSize: '15px', lineHeight: '24px', color: '#333333' };
  const dark = i % 4 === 3;
  const el = h(E.Html, { lang: 'en' },
    h(E.Head, null, h('title', null, s.subject)),
    h(E.Preview, null, s.preheader),
    h(E.Body, { style: { backgroundColor: dark ? '#0f172a' : '#f6f9fc', fontFamily: '-apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif' } },
      h(E.Container, { style: { backgroundColor: dark ? '#1e293b' : '#ffffff', margin: '0 auto', padding: '20px 0 48px', maxWidth: '580px' } },
        h(E.Section, { style: { padding: '0 48px' } },
          h(E.Heading, { as: 'h1', style: { fontSize: '24px', color: dark ? '#f8fafc' : '#111111' } }, s.heading),
          ...s.paragraphs.map((p, k) => h(E.Text, { key: k, style: { ...text, color: dark ? '#cbd5e1' : '#333333' } }, p)),
          h(E.Button, { href: s.button.href, style: { backgroundColor: '#5469d4', borderRadius: '5px', color: '#ffffff', fontSize: '15px', padding: '12px 20px', textDecoration: 'none' } }, s.button.label),
          s.items.length
            ? h(E.Section, { style: { marginTop: '24px' } },
              ...s.items.map(([a, b], k) => h(E.Row, { key: k },
                h(E.Column, { style: { ...text, color: dark ? '#cbd5e1' : '#333333' } }, a),
                h(E.Column, { align: 'right', style: { ...text, color: dark ? '#cbd5e1' : '#333333' } }, b))))
            : null,
          h(E.Hr, { style: { borderColor: '#e6ebf1', margin: '20px 0' } }),
          h(E.Text, { style: { ...text, color: dark ? '#cbd5e1' : '#333333' } }, s.signoff),
          i % 2 === 0 ? h(E.Text, { style: { fontSize: '12px', color: '#8898aa' } }, 'Sent with ', h(E.Link, { href: 'https://example.com', style: { color: '#556cd6' } }, 'care'), ' from our team.') : null,
          ...s.footer.map((f, k) => h(E.Text, { key: `f${k}`, style: { fontSize: '12px', lineHeight: '16px', color: '#8898aa' } }, f)),
        ),
      ),
    ),
  );
  return render(el);
}

// ---------- hand-made client shapes ----------

const PEOPLE = [
  ['Anna Lindqvist', 'anna.lindqvist@contoso.example'],
  ['Ben Carter', 'ben.carter@fabrikam.example'],
  ['Chloé Martin', 'chloe.martin@northwind.example'],
  ['Dev Patel', 'dev.patel@tailspin.example'],
  ['Eva Novak', 'eva.novak@adventure-works.example'],
];

function outlookDesktop(s, i) {
  const [from, fromMail] = PEOPLE[i % PEOPLE.length];
  const [to, toMail] = PEOPLE[(i + 1) % PEOPLE.length];
  const p = (t) => `<p class=MsoNormal>${t}<o:p></o:p></p>\n`;
  const blank = '<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n';
  // Word writes bullets as text behind a downlevel-revealed conditional that browsers show.
  const bullets = s.items.map(([a, b]) => `<p class=MsoListParagraph style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>${esc(a)}: ${esc(b)}<o:p></o:p></p>\n`).join('');
  const table = i % 2 === 1 ? bullets : s.items.length
    ? `<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>${s.items.map(([a, b]) => `<tr><td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal>${esc(a)}<o:p></o:p></p></td><td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;border-left:none;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal>${esc(b)}<o:p></o:p></p></td></tr>`).join('')}</table>\n`
    : '';
  return `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15 (filtered medium)"><!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}
o\\:* {behavior:url(#default#VML);}
w\\:* {behavior:url(#default#VML);}
.shape {behavior:url(#default#VML);}
</style><![endif]--><style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
	{font-family:Calibri;
	panose-1:2 15 5 2 2 2 4 3 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	font-size:11.0pt;
	font-family:"Calibri",sans-serif;
	mso-ligatures:standardcontextual;
	mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink
	{mso-style-priority:99;
	color:#0563C1;
	text-decoration:underline;}
span.EmailStyle17
	{mso-style-type:personal-compose;
	font-family:"Calibri",sans-serif;
	color:windowtext;}
.MsoChpDefault
	{mso-style-type:export-only;
	font-size:10.0pt;
	mso-ligatures:none;}
@page WordSection1
	{size:612.0pt 792.0pt;
	margin:72.0pt 72.0pt 72.0pt 72.0pt;}
div.WordSection1
	{page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]--></head><body lang=EN-GB link="#0563C1" vlink="#954F72" style='word-wrap:break-word'><div class=WordSection1>
${p(`Hi ${esc(to.split(' ')[0])},`)}${blank}${s.paragraphs.map((t) => p(esc(t))).join(blank)}${blank}${table}${table ? blank : ''}${p(`Link: <a href="${esc(s.button.href)}">${esc(s.button.label)}</a>`)}${blank}${p('Kind regards,')}${p(`<b><span style='color:#1F3864'>${esc(from)}<o:p></o:p></span></b>`)}${p(`<span style='font-size:9.0pt;color:#7F7F7F'>${esc(s.footer[0])}</span>`)}${blank}
<div><div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b><span lang=EN-US>From:</span></b><span lang=EN-US> ${esc(to)} &lt;${toMail}&gt; <br><b>Sent:</b> Monday, 3 November 2025 09:12<br><b>To:</b> ${esc(from)} &lt;${fromMail}&gt;<br><b>Subject:</b> ${esc(s.subject)}<o:p></o:p></span></p></div></div>${blank}${p('Could you send me the details when you have a moment?')}${p('Thanks!')}
</div></body></html>`;
}

function owa(s, i) {
  const [from] = PEOPLE[(i + 2) % PEOPLE.length];
  const [to, toMail] = PEOPLE[(i + 3) % PEOPLE.length];
  const div = (t) => `<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">${t}</div>`;
  return `<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>
</head>
<body dir="ltr">
${div(`Hello ${esc(to.split(' ')[0])},`)}
${div('<br>')}
${s.paragraphs.map((t) => div(esc(t))).join('\n')}
${s.items.length ? div(`<ul>${s.items.map(([a, b]) => `<li>${esc(a)}: ${esc(b)}</li>`).join('')}</ul>`) : ''}
${div(`<a href="${esc(s.button.href)}" id="LPlnk${400 + i}">${esc(s.button.label)}</a>`)}
${div('<br>')}
${div(`Best,<br>${esc(from)}`)}
<div id="appendonsend"></div>
<hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>From:</b> ${esc(to)} &lt;${toMail}&gt;<br>
<b>Sent:</b> Tuesday, November 4, 2025 8:03 AM<br>
<b>Subject:</b> ${esc(s.subject)}</font>
<div>&nbsp;</div></div>
<div><div dir="ltr">Any news on this? ${esc(s.preheader)}</div></div>
</body></html>`;
}

function gmail(s, i) {
  const [from] = PEOPLE[(i + 1) % PEOPLE.length];
  const [to, toMail] = PEOPLE[(i + 4) % PEOPLE.length];
  return `<div dir="ltr">Hi ${esc(to.split(' ')[0])},<div><br></div>${s.paragraphs.map((t) => `<div>${esc(t)}</div>`).join('<div><br></div>')}<div><br></div>${s.items.length ? `<div><ul>${s.items.map(([a, b]) => `<li style="margin-left:15px">${esc(a)} — ${esc(b)}</li>`).join('')}</ul></div>` : ''}<div><a href="${esc(s.button.href)}">${esc(s.button.label)}</a></div><div><br></div><div>Cheers,</div><div>${esc(from.split(' ')[0])}</div><br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr"><b>${esc(from)}</b><div><font color="#666666">${esc(s.footer[0])}</font></div></div></div></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, 3 Nov 2025 at 17:40, ${esc(to)} &lt;<a href="mailto:${toMail}">${toMail}</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">Quick question about “${esc(s.subject)}”: is there an update?</div></blockquote></div>
`;
}

function appleMail(s, i) {
  const [from] = PEOPLE[(i + 3) % PEOPLE.length];
  const [to] = PEOPLE[i % PEOPLE.length];
  return `<html aria-label="message body"><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">Hi ${esc(to.split(' ')[0])},<div><br></div>${s.paragraphs.map((t) => `<div>${esc(t)}</div>`).join('<div><br></div>')}<div><br></div><div><a href="${esc(s.button.href)}">${esc(s.button.label)}</a></div><div><br></div><div>${esc(from.split(' ')[0])}</div><div><br id="lineBreakAtBeginningOfSignature"><div dir="ltr">Sent from my iPhone</div><div dir="ltr"><br><blockquote type="cite">On 3 Nov 2025, at 18:02, ${esc(to)} wrote:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">\uFEFF<meta http-equiv="content-type" content="text/html; charset=utf-8"><div dir="ltr">${esc(s.preheader)}</div></div></blockquote></div></body></html>`;
}

function postmark(s, i) {
  const green = i % 2 === 0;
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <meta name="x-apple-disable-message-reformatting" />
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
    <meta name="color-scheme" content="light dark" />
    <meta name="supported-color-schemes" content="light dark" />
    <title>${esc(s.subject)}</title>
    <style type="text/css" rel="stylesheet" media="all">
    @import url("https://fonts.googleapis.com/css?family=Nunito+Sans:400,700&display=swap");
    body { width: 100% !important; height: 100%; margin: 0; -webkit-text-size-adjust: none; }
    a { color: #3869D4; }
    a img { border: none; }
    td { word-break: break-word; }
    .preheader { display: none !important; visibility: hidden; mso-hide: all; font-size: 1px; line-height: 1px; max-height: 0; max-width: 0; opacity: 0; overflow: hidden; }
    body, td, th { font-family: "Nunito Sans", Helvetica, Arial, sans-serif; }
    h1 { margin-top: 0; color: #333333; font-size: 22px; font-weight: bold; text-align: left; }
    p, ul, ol, blockquote { margin: .4em 0 1.1875em; font-size: 16px; line-height: 1.625; }
    p.sub { font-size: 13px; }
    .align-right { text-align: right; }
    .button { background-color: #3869D4; border-top: 10px solid #3869D4; border-right: 18px solid #3869D4; border-bottom: 10px solid #3869D4; border-left: 18px solid #3869D4; display: inline-block; color: #FFF; text-decoration: none; border-radius: 3px; box-shadow: 0 2px 3px rgba(0, 0, 0, 0.16); -webkit-text-size-adjust: none; box-sizing: border-box; }
    .button--green { background-color: #22BC66; border-top: 10px solid #22BC66; border-right: 18px solid #22BC66; border-bottom: 10px solid #22BC66; border-left: 18px solid #22BC66; }
    body { background-color: #F2F4F6; color: #51545E; }
    .email-wrapper { width: 100%; margin: 0; padding: 0; background-color: #F2F4F6; }
    .email-masthead { padding: 25px 0; text-align: center; }
    .email-masthead_name { font-size: 16px; font-weight: bold; color: #A8AAAF; text-decoration: none; text-shadow: 0 1px 0 white; }
    .email-body_inner { width: 570px; margin: 0 auto; padding: 0; background-color: #FFFFFF; }
    .email-footer { width: 570px; margin: 0 auto; padding: 0; text-align: center; }
    .email-footer p { color: #A8AAAF; }
    .content-cell { padding: 45px; }
    .purchase_item { padding: 10px 0; color: #51545E; font-size: 15px; line-height: 18px; }
    @media only screen and (max-width: 600px) { .email-body_inner, .email-footer { width: 100% !important; } }
    @media (prefers-color-scheme: dark) { body, .email-body, .email-body_inner, .email-content, .email-wrapper, .email-masthead, .email-footer { background-color: #333333 !important; color: #FFF !important; } p, ul, ol, blockquote, h1, h2, h3, span, .purchase_item { color: #FFF !important; } }
    :root { color-scheme: light dark; supported-color-schemes: light dark; }
    </style>
    <!--[if mso]>
    <style type="text/css">
      .f-fallback  { font-family: Arial, sans-serif; }
    </style>
  <![endif]-->
  </head>
  <body>
    <span class="preheader">${esc(s.preheader)}</span>
    <table class="email-wrapper" width="100%" cellpadding="0" cellspacing="0" role="presentation">
      <tr><td align="center">
        <table class="email-content" width="100%" cellpadding="0" cellspacing="0" role="presentation">
          <tr><td class="email-masthead"><a href="https://example.com" class="f-fallback email-masthead_name">${esc(s.signoff.split(/, | from /).pop())}</a></td></tr>
          <tr><td class="email-body" width="570" cellpadding="0" cellspacing="0">
            <table class="email-body_inner" align="center" width="570" cellpadding="0" cellspacing="0" role="presentation">
              <tr><td class="content-cell"><div class="f-fallback">
                <h1>${esc(s.heading)}</h1>
                ${s.paragraphs.map((t) => `<p>${esc(t)}</p>`).join('\n                ')}
                <table class="body-action" align="center" width="100%" cellpadding="0" cellspacing="0" role="presentation"><tr><td align="center">
                  <table width="100%" border="0" cellspacing="0" cellpadding="0" role="presentation"><tr><td align="center">
                    <a href="${esc(s.button.href)}" class="f-fallback button${green ? ' button--green' : ''}" target="_blank">${esc(s.button.label)}</a>
                  </td></tr></table>
                </td></tr></table>
                ${s.items.length ? `<table class="purchase" width="100%" cellpadding="0" cellspacing="0">${s.items.map(([a, b]) => `<tr><td width="80%" class="purchase_item"><span class="f-fallback">${esc(a)}</span></td><td class="align-right" width="20%" class="purchase_item"><span class="f-fallback">${esc(b)}</span></td></tr>`).join('')}</table>` : ''}
                <p>${esc(s.signoff)}</p>
                <table class="body-sub" role="presentation"><tr><td>
                  <p class="f-fallback sub">If you’re having trouble with the button above, copy and paste the URL below into your web browser.</p>
                  <p class="f-fallback sub">${esc(s.button.href)}</p>
                </td></tr></table>
              </div></td></tr>
            </table>
          </td></tr>
          <tr><td>
            <table class="email-footer" align="center" width="570" cellpadding="0" cellspacing="0" role="presentation"><tr><td class="content-cell" align="center">
              ${s.footer.map((f) => `<p class="f-fallback sub align-center">${esc(f)}</p>`).join('\n              ')}
            </td></tr></table>
          </td></tr>
        </table>
      </td></tr>
    </table>
  </body>
</html>
`;
}

function mailchimp(s, i) {
  const accent = ['#007C89', '#D9534F', '#5D3FD3', '#2E7D32'][i % 4];
  return `<!doctype html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<!--[if gte mso 15]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<meta charset="UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(s.subject)}</title>
<style type="text/css">
p{margin:10px 0;padding:0;} table{border-collapse:collapse;} h1,h2,h3,h4,h5,h6{display:block;margin:0;padding:0;} img,a img{border:0;height:auto;outline:none;text-decoration:none;}
body,#bodyTable,#bodyCell{height:100%;margin:0;padding:0;width:100%;}
.mcnPreviewText{display:none !important;}
#outlook a{padding:0;} .ReadMsgBody{width:100%;} .ExternalClass{width:100%;}
.ExternalClass,.ExternalClass p,.ExternalClass td,.ExternalClass div,.ExternalClass span,.ExternalClass font{line-height:100%;}
body,#bodyTable{background-color:#FAFAFA;} #bodyCell{border-top:0;}
#templateHeader{background-color:#ffffff;border-top:0;border-bottom:0;padding-top:9px;padding-bottom:0;}
#templateBody{background-color:#FFFFFF;border-top:0;border-bottom:2px solid #EAEAEA;padding-top:0;padding-bottom:9px;}
#templateBody .mcnTextContent,#templateBody .mcnTextContent p{color:#202020;font-family:Helvetica;font-size:16px;line-height:150%;text-align:left;}
#templateFooter .mcnTextContent,#templateFooter .mcnTextContent p{color:#656565;font-family:Helvetica;font-size:12px;line-height:150%;text-align:center;}
.mcnButtonContent{font-family:Arial;font-size:16px;padding:15px;}
@media only screen and (max-width:480px){ .mcnTextContent,.mcnTextContent p{font-size:16px !important;line-height:150% !important;} .mcnRetinaImage{max-width:100% !important;} }
@media only screen and (min-width:768px){ .templateContainer{width:600px !important;} }
</style></head>
<body>
<!--[if !gte mso 9]><!----><span class="mcnPreviewText" style="display:none; font-size:0px; line-height:0px; max-height:0px; max-width:0px; opacity:0; overflow:hidden; visibility:hidden; mso-hide:all;">${esc(s.preheader)}${PREHEADER_PAD}</span><!--<![endif]-->
<center>
<table align="center" border="0" cellpadding="0" cellspacing="0" height="100%" width="100%" id="bodyTable"><tr><td align="center" valign="top" id="bodyCell">
<!--[if (gte mso 9)|(IE)]><table align="center" border="0" cellspacing="0" cellpadding="0" width="600" style="width:600px;"><tr><td align="center" valign="top" width="600" style="width:600px;"><![endif]-->
<table border="0" cellpadding="0" cellspacing="0" width="100%" class="templateContainer" style="max-width:600px">
<tr><td valign="top" id="templateHeader"><table class="mcnTextBlock" width="100%"><tr><td class="mcnTextContent" style="padding:9px 18px;color:${accent};font-family:Helvetica;font-size:22px;font-weight:bold">${esc(s.heading)}</td></tr></table></td></tr>
<tr><td valign="top" id="templateBody">
<table border="0" cellpadding="0" cellspacing="0" width="100%" class="mcnTextBlock" style="min-width:100%;"><tbody class="mcnTextBlockOuter"><tr><td valign="top" class="mcnTextBlockInner" style="padding-top:9px;">
<!--[if mso]><table align="left" border="0" cellspacing="0" cellpadding="0" width="100%" style="width:100%;"><tr><td valign="top" width="600" style="width:600px;"><![endif]-->
<table align="left" border="0" cellpadding="0" cellspacing="0" style="max-width:100%; min-width:100%;" width="100%" class="mcnTextContentContainer"><tbody><tr>
<td valign="top" class="mcnTextContent" style="padding-top:0; padding-right:18px; padding-bottom:9px; padding-left:18px;">
${s.paragraphs.map((t) => `<p>${esc(t)}</p>`).join('\n')}
${s.items.length ? `<ul>${s.items.map(([a, b]) => `<li><strong>${esc(a)}</strong>: ${esc(b)}</li>`).join('')}</ul>` : ''}
<p>${esc(s.signoff)}</p>
</td></tr></tbody></table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></tbody></table>
<table border="0" cellpadding="0" cellspacing="0" width="100%" class="mcnButtonBlock" style="min-width:100%;"><tbody class="mcnButtonBlockOuter"><tr><td style="padding:0 18px 18px 18px;" valign="top" align="center" class="mcnButtonBlockInner">
<table border="0" cellpadding="0" cellspacing="0" class="mcnButtonContentContainer" style="border-collapse:separate !important;border-radius:4px;background-color:${accent};"><tbody><tr><td align="center" valign="middle" class="mcnButtonContent">
<a class="mcnButton" title="${esc(s.button.label)}" href="${esc(s.button.href)}" target="_blank" style="font-weight:bold;letter-spacing:normal;line-height:100%;text-align:center;text-decoration:none;color:#FFFFFF;">${esc(s.button.label)}</a>
</td></tr></tbody></table></td></tr></tbody></table>
</td></tr>
<tr><td valign="top" id="templateFooter"><table class="mcnTextBlock" width="100%"><tr><td class="mcnTextContent" style="padding:9px 18px">
<em>Copyright © 2025 ${esc(s.signoff.split(/, | from /).pop())}, All rights reserved.</em><br>
${s.footer.map(esc).join('<br>\n')}<br><br>
Want to change how you receive these emails?<br>
You can <a href="https://example.us1.list-manage.com/profile">update your preferences</a> or <a href="https://example.us1.list-manage.com/unsubscribe">unsubscribe from this list</a>.
</td></tr></table></td></tr>
</table>
<!--[if (gte mso 9)|(IE)]></td></tr></table><![endif]-->
</td></tr></table>
</center>
</body></html>
`;
}

function bulletproof(s, i) {
  const color = ['#e4572e', '#17a2b8', '#6f42c1', '#28a745'][i % 4];
  const vml = `<!--[if mso]>
  <v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="urn:schemas-microsoft-com:office:word" href="${esc(s.button.href)}" style="height:44px;v-text-anchor:middle;width:240px;" arcsize="9%" strokecolor="${color}" fillcolor="${color}">
    <w:anchorlock/>
    <center style="color:#ffffff;font-family:sans-serif;font-size:15px;font-weight:bold;">${esc(s.button.label)}</center>
  </v:roundrect>
<![endif]-->`;
  const html = `<a href="${esc(s.button.href)}" style="background-color:${color};border:1px solid ${color};border-radius:4px;color:#ffffff;display:inline-block;font-family:sans-serif;font-size:15px;font-weight:bold;line-height:44px;text-align:center;text-decoration:none;width:240px;-webkit-text-size-adjust:none;mso-hide:all;">${esc(s.button.label)}</a>`;
  return `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="x-apple-disable-message-reformatting">
<title>${esc(s.subject)}</title>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<style>
html, body { margin: 0 auto !important; padding: 0 !important; height: 100% !important; width: 100% !important; }
* { -ms-text-size-adjust: 100%; -webkit-text-size-adjust: 100%; }
div[style*="margin: 16px 0"] { margin: 0 !important; }
table, td { mso-table-lspace: 0pt !important; mso-table-rspace: 0pt !important; }
a[x-apple-data-detectors] { color: inherit !important; text-decoration: none !important; }
.u + #body a, #MessageViewBody a { color: inherit; text-decoration: none; }
@media screen and (max-width: 600px) { .stack-column { display: block !important; width: 100% !important; max-width: 100% !important; } }
</style>
</head>
<body width="100%" style="margin:0;padding:0 !important;mso-line-height-rule:exactly;background-color:#222222;">
<center style="width:100%;background-color:#222222;">
<!--[if mso | IE]><table role="presentation" border="0" cellpadding="0" cellspacing="0" width="100%" style="background-color:#222222;"><tr><td><![endif]-->
<div style="display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;font-family:sans-serif;">${esc(s.preheader)}</div>
<div style="display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;font-family:sans-serif;">${PREHEADER_PAD}</div>
<div style="max-width:600px;margin:0 auto;" class="email-container">
<!--[if mso]><table align="center" role="presentation" cellspacing="0" cellpadding="0" border="0" width="600"><tr><td><![endif]-->
<table align="center" role="presentation" cellspacing="0" cellpadding="0" border="0" width="100%" style="margin:auto;">
<tr><td style="background-color:#ffffff;padding:40px 40px 20px;font-family:sans-serif;font-size:15px;line-height:20px;color:#555555;">
<h1 style="margin:0 0 10px;font-size:25px;line-height:30px;color:#333333;font-weight:normal;">${esc(s.heading)}</h1>
${s.paragraphs.map((t) => `<p style="margin:0 0 10px;">${esc(t)}</p>`).join('\n')}
</td></tr>
<tr><td style="background-color:#ffffff;padding:0 40px 40px;font-family:sans-serif;" align="center"><div>${vml}${html}</div></td></tr>
${s.items.length ? `<tr><td style="background-color:#ffffff;padding:0 40px 30px;font-family:sans-serif;font-size:15px;color:#555555;"><table role="presentation" width="100%">${s.items.map(([a, b]) => `<tr><td class="stack-column" style="padding:4px 0">${esc(a)}</td><td class="stack-column" style="text-align:right">${esc(b)}</td></tr>`).join('')}</table></td></tr>` : ''}
<tr><td style="background-color:#ffffff;padding:0 40px 40px;font-family:sans-serif;font-size:15px;color:#555555;">${esc(s.signoff)}</td></tr>
</table>
<table align="center" role="presentation" cellspacing="0" cellpadding="0" border="0" width="100%" style="margin:auto;">
<tr><td style="padding:20px;font-family:sans-serif;font-size:12px;line-height:15px;text-align:center;color:#888888;">${s.footer.map(esc).join('<br>')}<br><br><unsubscribe style="color:#888888;text-decoration:underline;">unsubscribe</unsubscribe></td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</div>
<!--[if mso | IE]></td></tr></table><![endif]-->
</center>
</body>
</html>
`;
}

/** Builds every realistic mail: [path under corpus/mails, html]. */
export async function buildMails() {
  const out = [];
  const pick = (n, offset) => Array.from({ length: n }, (_, k) => SCENARIOS[(k + offset) % SCENARIOS.length]);
  for (const [k, s] of SCENARIOS.entries()) out.push([`mjml/${s.id}.html`, await mjmlMail(s, k)]);
  for (const [k, s] of pick(10, 2).entries()) out.push([`foundation/${s.id}.html`, foundationMail(s, k)]);
  for (const [k, s] of pick(10, 5).entries()) out.push([`react-email/${s.id}.html`, await reactMail(s, k)]);
  const shapes = { 'outlook-desktop': [outlookDesktop, 5], owa: [owa, 4], gmail: [gmail, 4], 'apple-mail': [appleMail, 4], postmark: [postmark, 4], mailchimp: [mailchimp, 4], 'bulletproof-button': [bulletproof, 4] };
  let offset = 0;
  for (const [name, [fn, n]] of Object.entries(shapes)) {
    for (const [k, s] of pick(n, offset).entries()) out.push([`${name}/${s.id}.html`, fn(s, k)]);
    offset += 3;
  }
  return out;
}
