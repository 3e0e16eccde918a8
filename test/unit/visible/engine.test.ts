import { describe, expect, it } from 'vitest';
import { htmlToVisibleText } from '../../../src/text/html-to-text.js';
import { COLLAPSED_MARKER } from '../../../src/text/visible/render.js';

const STANDARDS = '<!DOCTYPE html>';

function visible(html: string): string {
  return htmlToVisibleText(html).text;
}

/** Each case: the markup, then the exact visible text (SECRET never survives, "shown" always does). */
type Case = [name: string, html: string, expected: string];

function cases(list: Case[]): void {
  it.each(list)('%s', (_name, html, expected) => {
    expect(visible(html)).toBe(expected);
  });
}

describe('the cascade', () => {
  cases([
    ['higher specificity wins over source order', '<style>#a{display:block} div{display:none}</style><div id="a">shown</div>', 'shown'],
    ['later rule of equal specificity wins', '<style>.a{display:none} .a{display:block}</style><div class="a">shown</div>', 'shown'],
    ['source order: later hiding rule wins', '<style>.a{display:block} .a{display:none}</style><div class="a">SECRET</div>shown', 'shown'],
    ['!important beats a more specific rule', '<style>#a{display:block} div{display:none!important}</style><div id="a">SECRET</div>shown', 'shown'],
    ['inline style beats a stylesheet rule', '<style>#a.b{display:none}</style><div id="a" class="b" style="display:block">shown</div>', 'shown'],
    ['inline !important beats stylesheet !important', '<style>.a{display:none!important}</style><div class="a" style="display:block!important">shown</div>', 'shown'],
    ['visibility is inherited', '<style>.v{visibility:hidden}</style><div class="v"><p><b>SECRET</b></p></div>shown', 'shown'],
    ['inherit keyword takes the parent value', '<div style="font-size:0"><span style="font-size:inherit">SECRET</span></div>shown', 'shown'],
    ['attribute selectors', '<style>[data-x="1"]{display:none}</style><p data-x="1">SECRET</p>shown', 'shown'],
    [':not() and :nth-child()', '<style>p:not(.keep){display:none} li:nth-child(2){display:none}</style><p>SECRET</p><p class="keep">shown</p><ul><li>one</li><li>SECRET</li></ul>', 'shown\n\n- one'],
    ['sibling combinators', '<style>h1 + p{display:none} h2 ~ div{display:none}</style><h1>t</h1><p>SECRET</p><h2>u</h2><div>SECRET</div>', 't\n\nu'],
    ['a style element after the element applies to it', '<div class="late">SECRET</div>shown<style>.late{display:none}</style>', 'shown'],
    ['a style element at the end of the body in standards mode', `${STANDARDS}<p class="x">SECRET</p><p>shown</p><style>.x{visibility:hidden}</style>`, 'shown'],
    ['CSS escapes in selectors', '<style>.\\73 ecret{display:none}</style><div class="secret">SECRET</div>shown', 'shown'],
    ['a data: style sheet through <link>', '<link rel="stylesheet" href="data:text/css,.h%7Bdisplay:none%7D"><div class="h">SECRET</div>shown', 'shown'],
    ['a data: style sheet through @import', '<style>@import url("data:text/css;base64,Lmh7ZGlzcGxheTpub25lfQ==");</style><div class="h">SECRET</div>shown', 'shown'],
    ['an invalid selector list drops the whole rule', '<style>.a, ::unknown-thing(x{display:none}</style><div class="a">shown</div>', 'shown'],
  ]);
});

describe('at-rules for a 1280x900 desktop screen', () => {
  cases([
    ['@media (min-width) that a desktop meets', '<style>@media screen and (min-width:600px){.d{display:none}}</style><div class="d">SECRET</div>shown', 'shown'],
    ['@media (max-width) for phones does not apply', '<style>@media only screen and (max-width:480px){.m{display:none}}</style><div class="m">shown</div>', 'shown'],
    ['@media range syntax', '<style>@media (width >= 1000px){.d{display:none}}</style><div class="d">SECRET</div>shown', 'shown'],
    ['@media print does not apply', '<style>@media print{.p{display:none}}</style><div class="p">shown</div>', 'shown'],
    ['@media not print applies', '<style>@media not print{.p{display:none}}</style><div class="p">SECRET</div>shown', 'shown'],
    ['an unknown media type never matches', '<style>@media yahoo{.y{display:none}}</style><div class="y">shown</div>', 'shown'],
    ['prefers-color-scheme: light', '<style>@media (prefers-color-scheme: dark){.k{display:none}} @media (prefers-color-scheme: light){.l{display:none}}</style><div class="k">shown</div><div class="l">SECRET</div>', 'shown'],
    ['@supports a valid declaration', '<style>@supports (display:grid){.s{display:none}}</style><div class="s">SECRET</div>shown', 'shown'],
    ['@supports an unknown property does not apply', '<style>@supports (frobnicate:1){.s{display:none}}</style><div class="s">shown</div>', 'shown'],
    ['@supports not', '<style>@supports not (display:grid){.s{display:none}}</style><div class="s">shown</div>', 'shown'],
    ['@layer: unlayered rules beat layered ones', '<style>.a{display:none} @layer base{.a{display:block}}</style><div class="a">SECRET</div>shown', 'shown'],
    ['@layer: later layers win', '<style>@layer one, two; @layer two{.a{display:none}} @layer one{.a{display:block}}</style><div class="a">SECRET</div>shown', 'shown'],
    ['@layer: important in an earlier layer wins', '<style>@layer one{.a{display:none!important}} @layer two{.a{display:block!important}}</style><div class="a">SECRET</div>shown', 'shown'],
    ['media attribute on <style>', '<style media="(min-width: 800px)">.a{display:none}</style><div class="a">SECRET</div>shown', 'shown'],
  ]);
});

describe('values: custom properties, calc(), invalid declarations', () => {
  cases([
    ['var() with a fallback', '<div style="display:var(--missing, none)">SECRET</div>shown', 'shown'],
    ['var() from a stylesheet on an ancestor', '<style>:root{--h:none}</style><p style="display:var(--h)">SECRET</p>shown', 'shown'],
    ['calc() font size to zero', '<span style="font-size:calc(16px - 16px)">SECRET</span>shown', 'shown'],
    ['calc() with var()', '<div style="--n:0;font-size:calc(var(--n) * 1px)">SECRET</div>shown', 'shown'],
    ['calc() opacity', '<div style="opacity:calc(0.5 - 0.5)">SECRET</div>shown', 'shown'],
    ['calc() off-screen offset', '<div style="position:absolute;left:calc(-100px * 50)">SECRET</div>shown', 'shown'],
    ['max() height with overflow hidden', '<div style="height:max(0px, 0em);overflow:hidden">SECRET</div>shown', 'shown'],
    ['display:none\\9 is invalid', '<div style="display:none\\9">shown</div>', 'shown'],
    ['an escaped keyword is the keyword', '<div style="display:n\\6f ne">SECRET</div>shown', 'shown'],
    ['an invalid value leaves the earlier valid one', '<div style="display:none;display:nonsense">SECRET</div>shown', 'shown'],
    ['unitless lengths are px in quirks mode', '<div style="height:0;overflow:hidden;width:100">SECRET</div><div style="position:absolute;left:-9999">SECRET</div>shown', 'shown'],
    ['unitless lengths are invalid in standards mode', `${STANDARDS}<div style="position:absolute;left:-9999">shown</div>`, 'shown'],
  ]);
});

describe('standards versus quirks mode', () => {
  cases([
    ['class names match exactly in standards mode', `${STANDARDS}<style>.Hide{display:none}</style><p class="hide">shown</p>`, 'shown'],
    ['class names match case-insensitively in quirks mode', '<style>.Hide{display:none}</style><p class="hide">SECRET</p>shown', 'shown'],
    ['ids match exactly in standards mode', `${STANDARDS}<style>#X{display:none}</style><p id="x">shown</p>`, 'shown'],
    ['a table closes an open <p> in standards mode', `${STANDARDS}<p style="display:none">SECRET<table><tr><td>shown</td></tr></table>`, 'shown'],
    ['a table stays in an open <p> in quirks mode', '<p style="display:none">SECRET<table><tr><td>SECRET</td></tr></table></p>shown', 'shown'],
  ]);
});

describe('tree building by the standard', () => {
  cases([
    ['a reconstructed hidden <b> keeps hiding', '<p><b style="display:none">x</p><td>SECRET', ''],
    ['display:none span around a div', '<span style="display:none"><div></span>SECRET</div></span>shown', 'shown'],
    ['<p> breaks out of <svg>', '<svg width="10" height="10"><p>shown</p></svg>', 'shown'],
    ['<div> breaks out of <math>', '<math><div>shown</div></math>', 'shown'],
    ['foster-parented text before a table', '<table><tr>shown<td>cell</td></tr></table>', 'shown\ncell'],
  ]);

  it('walks 200,000 nested elements without recursion', () => {
    expect(visible(`${'<div>'.repeat(99_000)}end`)).toBe('end');
    expect(visible(`${'<span>'.repeat(80_000)}end`)).toBe('end');
  });
});

describe('the hidden attribute and element rules', () => {
  cases([
    ['hidden is overridable by CSS display', '<div hidden style="display:block">shown</div>', 'shown'],
    ['hidden is overridable by a stylesheet display', '<style>[hidden]{display:block}</style><div hidden>shown</div>', 'shown'],
    ['hidden without CSS hides', '<div hidden>SECRET</div>shown', 'shown'],
    ['object fallback content is visible', '<object data="movie.swf"><p>shown</p></object>', 'shown'],
    ['svg text is visible, svg title is not', '<svg width="50" height="20"><title>SECRET</title><text>shown</text></svg>', 'shown'],
    ['svg with zero size shows nothing', '<svg width="0" height="0"><text>SECRET</text></svg>shown', 'shown'],
    ['svg text outside <text> is not drawn', '<svg width="50" height="20">SECRET<g>SECRET</g></svg>shown', 'shown'],
    ['video fallback is not shown', '<video>SECRET</video>shown', 'shown'],
    ['noscript is shown (scripting is off)', '<noscript>shown</noscript>', 'shown'],
    ['rp is not shown; rt is a word of its own (drawn above the base)', '<ruby>漢<rp>(SECRET)</rp><rt>kan</rt></ruby>', '漢 kan'],
    ['font-size:0.01em of the default medium size is raised to 6px, as Chromium does', '<span style="font-size:0.01em">shown</span>', 'shown'],
  ]);
});

describe('collapsed content', () => {
  it('drops the body of a closed <details> and marks it', () => {
    const result = htmlToVisibleText('<details><summary>More</summary><p>SECRET</p></details><p>after</p>');
    expect(result.text).toBe(`More\n${COLLAPSED_MARKER}\n\nafter`);
    expect(result.hiddenRemoved).toBe(1);
  });

  it('keeps an open <details>', () => {
    expect(visible('<details open><summary>More</summary><p>shown</p></details>')).toBe('More\n\nshown');
  });

  it('shows only the selected option of a drop-down', () => {
    expect(visible('<select><option>SECRET</option><option selected>shown</option><optgroup><option>SECRET</option></optgroup></select>')).toBe('shown');
  });

  it('shows the first option when none is selected', () => {
    expect(visible('<select><option>shown</option><option>SECRET</option></select>')).toBe('shown');
  });

  it('shows every option of a list box', () => {
    expect(visible('<select multiple><option>one</option><option>two</option></select>')).toBe('one\ntwo');
  });

  it('hides an MJML accordion body through its checkbox rules', () => {
    const html =
      '<style>@media yahoo, only screen and (min-width:0){input.mj-accordion-checkbox + * .mj-accordion-content{display:none}' +
      ' input.mj-accordion-checkbox:checked + * .mj-accordion-content{display:block}}</style>' +
      '<input type="checkbox" class="mj-accordion-checkbox"><div><div class="mj-accordion-title">Title</div>' +
      '<div class="mj-accordion-content">SECRET</div></div>';
    expect(visible(html)).toBe('Title');
  });
});

describe('layout tricks decided without layout', () => {
  cases([
    ['line-height:0 with overflow hidden', '<div style="line-height:0;overflow:hidden">SECRET</div>shown', 'shown'],
    ['height:0 with overflow auto', '<div style="height:0;overflow:auto">SECRET</div>shown', 'shown'],
    ['contain:paint with height:0', '<div style="contain:paint;height:0">SECRET</div>shown', 'shown'],
    ['height:0 overflow hidden on an inline span does nothing', '<span style="height:0;overflow:hidden">shown</span>', 'shown'],
    ['max-height does not clip a table cell', '<table><tr><td style="max-height:0;overflow:hidden">shown</td></tr></table>', 'shown'],
    ['height does not clip a table cell', '<table><tr><td style="height:0;overflow:hidden">shown</td></tr></table>', 'shown'],
    ['off-screen at -250px', '<div style="position:absolute;left:-250px">SECRET</div>shown', 'shown'],
    ['off-screen at -400px from the top', '<div style="position:absolute;top:-400px">SECRET</div>shown', 'shown'],
    ['moved left by more than its width', '<div style="position:relative;left:-150px;width:100px">SECRET</div>shown', 'shown'],
    ['translated left by more than its width', '<div style="transform:translateX(-450px);width:300px">SECRET</div>shown', 'shown'],
    ['a small shift stays visible', '<div style="position:relative;left:-20px">shown</div>', 'shown'],
    ['text-indent:100% with nowrap and overflow hidden', '<div style="text-indent:100%;white-space:nowrap;overflow:hidden">SECRET</div>shown', 'shown'],
    ['scale(0.02)', '<div style="transform:scale(0.02)">SECRET</div>shown', 'shown'],
    ['the scale property', '<div style="scale:0.05">SECRET</div>shown', 'shown'],
    ['a degenerate clip-path polygon', '<div style="clip-path:polygon(0 0, 100% 0, 50% 0)">SECRET</div>shown', 'shown'],
    ['a real clip-path polygon clips part of the text: withheld', '<div style="clip-path:polygon(0 0, 100% 0, 100% 100%)">half</div>', '[1 word withheld: visibility could not be determined]'],
    ['a clip-path inset of zero clips nothing', '<div style="clip-path:inset(0 0 0 0)">shown</div>', 'shown'],
    ['clip:rect needs absolute positioning', '<div style="clip:rect(0,0,0,0)">shown</div>', 'shown'],
    ['z-index:-1 behind an ancestor background', '<div style="background:#fff"><span style="position:relative;z-index:-1">SECRET</span></div>shown', 'shown'],
    ['z-index:-1 with no background in front', '<div><span style="position:relative;z-index:-1">shown</span></div>', 'shown'],
    ['an opaque box laid over the text', '<div style="position:relative"><p>SECRET</p><div style="position:absolute;top:0;left:0;right:0;bottom:0;background:#fff"></div></div>shown', 'shown'],
    ['an opaque box pulled up by a negative margin', '<p style="margin:0;line-height:20px">SECRET</p><div style="margin-top:-20px;height:20px;background:#fff;position:relative"></div>shown', 'shown'],
    ['a positioned box after the overlay is above it', '<div style="position:relative"><div style="position:absolute;inset:0;background:#fff"></div><span style="position:relative">shown</span></div>', 'shown'],
  ]);

  it('withholds text in a clipping box of fixed height (how much it cuts needs layout), and still counts a box of a few px as suspect', () => {
    const result = htmlToVisibleText('<div style="height:4px;overflow:hidden">maybe</div>');
    expect(result.text).not.toMatch(/maybe/);
    expect(result.withheld).toBe(1);
    expect(result.suspect).toBe(1);
  });
});

describe('drawn text', () => {
  cases([
    ['-webkit-text-fill-color transparent', '<span style="-webkit-text-fill-color:transparent">SECRET</span>shown', 'shown'],
    ['gradient text through background-clip:text is visible', '<span style="background:linear-gradient(red,blue);-webkit-background-clip:text;-webkit-text-fill-color:transparent">shown</span>', 'shown'],
    ['background-clip:text without a background is not', '<span style="-webkit-background-clip:text;-webkit-text-fill-color:transparent">SECRET</span>shown', 'shown'],
    ['text drawn by text-shadow is visible', '<span style="color:transparent;text-shadow:0 0 0 #333">shown</span>', 'shown'],
    ['a transparent text-shadow draws nothing', '<span style="color:transparent;text-shadow:0 0 0 transparent">SECRET</span>shown', 'shown'],
    ['text outlined by -webkit-text-stroke is visible', '<span style="-webkit-text-fill-color:transparent;-webkit-text-stroke:1px #000">shown</span>', 'shown'],
  ]);
});

describe('text coloured like its background', () => {
  cases([
    ['inline colours', '<div style="background:#fff"><span style="color:#ffffff">SECRET</span></div>shown', 'shown'],
    ['white text on the white canvas', '<p style="color:#fefefe">SECRET</p>shown', 'shown'],
    ['through classes', '<style>.bg{background-color:#123456}.fg{color:#123457}</style><div class="bg"><p class="fg">SECRET</p></div>shown', 'shown'],
    ['bgcolor and <font color>', '<table bgcolor="#000000"><tr><td><font color="#010101">SECRET</font></td></tr></table>shown', 'shown'],
    ['bare hex in bgcolor', '<table><tr><td bgcolor="336699"><font color="#336699">SECRET</font></td></tr></table>shown', 'shown'],
    ['a link on the UA link blue', '<div style="background:#0000ee"><a href="https://x.example/">SECRET</a></div>shown', 'shown'],
    ['color-mix() near white', '<p style="color:color-mix(in srgb, white 99%, black)">SECRET</p>shown', 'shown'],
    ['low but real contrast is kept', '<p style="color:#cccccc">shown</p>', 'shown'],
    ['a background image makes the background unknown: kept', '<div style="background:#fff url(x.png)"><p style="color:#fff">shown</p></div>', 'shown'],
    ['a descendant background changes the reference', '<div style="background:#fff"><div style="background:#000"><p style="color:#fff">shown</p></div></div>', 'shown'],
  ]);
});

describe('Outlook bulletproof buttons', () => {
  it('keeps the HTML copy a desktop browser shows and drops the VML copy', () => {
    const html =
      '<div><!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://x.example/pay" style="height:40px;width:200px" fillcolor="#1a73e8">' +
      '<center style="color:#ffffff">Pay now</center></v:roundrect><![endif]-->' +
      '<a href="https://x.example/pay" style="background-color:#1a73e8;color:#ffffff;display:inline-block;mso-hide:all">Pay now</a></div>';
    expect(visible(html)).toBe('Pay now (https://x.example/pay)');
  });
});

describe('input cap', () => {
  it('says what it cut', () => {
    const result = htmlToVisibleText(`<p>start</p>${'x'.repeat(600_000)}`);
    expect(result.truncatedInput).toBe(600_012 - 500_000);
    expect(result.text).toMatch(/\[message cut: the last 100012 characters of HTML were not read\]$/);
  });
});

describe('cutPosition', () => {
  it('does not count style sheets within their own budget', async () => {
    const { cutPosition } = await import('../../../src/text/visible/tree.js');
    const html = `<style>${'a'.repeat(100)}</style>${'b'.repeat(50)}`;
    // 7 characters of <style>, 100 of CSS, then 58 of markup and text.
    expect(cutPosition(html, 70, 1000)).toBe(html.length);
    expect(cutPosition(html, 40, 1000)).toBe(7 + 100 + (40 - 7));
    // Past the style budget, style characters count like any other.
    expect(cutPosition(html, 70, 10)).toBe(7 + 10 + (70 - 7));
  });

  it('keeps the body after a large style sheet', () => {
    let css = '';
    for (let i = 0; i < 50_000; i++) css += `.r${i}{display:none}`;
    const result = htmlToVisibleText(`<style>${css}</style><p class="r7">SECRET</p><p>shown</p>`);
    expect(result).toMatchObject({ text: 'shown', hiddenRemoved: 1 });
    expect(result.truncatedInput).toBeUndefined();
  });
});
