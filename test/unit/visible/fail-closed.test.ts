/**
 * Fail closed: text whose visibility depends on something the builtin engine cannot evaluate is
 * withheld and counted, never shown. Each case holds one word whose fate is undecided ("UNSURE")
 * between two visible sentences, and would leak if the engine kept what it does not understand.
 */
import { describe, expect, it } from 'vitest';
import { htmlToVisibleText, withheldMarker } from '../../../src/text/html-to-text.js';

const wrap = (inner: string, style = ''): string => `<html><head><style>${style}</style></head><body><p>Before.</p>${inner}<p>After.</p></body></html>`;

describe('undecidable visibility is withheld and counted', () => {
  const cases: Array<[string, string, string?]> = [
    ['an infinite animation that changes opacity (runs with JavaScript off)', '<p class="a">UNSURE</p>', '@keyframes fade { to { opacity: 0 } } .a { animation: fade 1s infinite }'],
    ['an animation still running when the mail is read', '<p class="a">UNSURE</p>', '@-webkit-keyframes off { from { transform: translateX(-9999px) } } .a { animation: off 999999s }'],
    ['a fractional iteration count', '<p class="a">UNSURE</p>', '@keyframes fade { 50% { opacity: 0 } } .a { animation: fade 1s 1.5 forwards }'],
    ['a filter other than opacity()', '<p style="filter: blur(12px)">UNSURE</p>'],
    ['a mask', '<p style="mask-image: linear-gradient(transparent, transparent)">UNSURE</p>'],
    ['a -webkit-mask', '<p style="-webkit-mask: linear-gradient(transparent, transparent)">UNSURE</p>'],
    ['a blend mode', '<p style="mix-blend-mode: difference">UNSURE</p>'],
    ['a clip-path shape that clips part of the box', '<p style="clip-path: circle(10%)">UNSURE</p>'],
    ['a 3D rotation', '<p style="transform: rotateY(90deg)">UNSURE</p>'],
    ['a skew', '<p style="transform: skewX(89.9deg)">UNSURE</p>'],
    ['perspective in a transform', '<p style="transform: perspective(10px) translateZ(9px)">UNSURE</p>'],
    ['the individual rotate property about an axis', '<p style="rotate: x 90deg">UNSURE</p>'],
    ['a colour function this engine cannot compute', '<p style="color: rgb(from white r g b)">UNSURE</p>'],
    ['a font size of viewport or container units in an unknown function', '<p style="font-size: round(1cqw, 1px)">UNSURE</p>'],
    ['a rule inside @container', '<p class="a">UNSURE</p>', '@container (min-width: 1px) { .a { display: none } }'],
    ['a rule inside @scope', '<div class="s"><p class="a">UNSURE</p></div>', '@scope (.s) { .a { visibility: hidden } }'],
    ['::first-line restyling the text', '<p class="a">UNSURE</p>', '.a::first-line { color: white }'],
    ['legacy :first-letter', '<p class="a">UNSURE</p>', '.a:first-letter { font-size: 0 }'],
    ['a pseudo-class css-select cannot evaluate', '<p class="a">UNSURE</p>', '.a:popover-open { display: block } .a { display: block }'],
    ['a declarative shadow root with a style sheet of its own (its content; the unslotted light child is not rendered)', '<div><template shadowrootmode="open"><style>:host{color:red}</style><p>UNSURE</p></template><span>UNSURE</span></div>'],
    ['a shadow tree in a document that styles ::part()', '<div><template shadowrootmode="open"><p part="p">UNSURE</p></template></div>', '::part(p){display:none}'],
    ["a value css-tree's grammar rejects but browsers accept (circle with a percentage)", '<p class="a">UNSURE</p>', '.a { clip-path: circle(10%) }'],
    ['a relative colour css-tree rejects', '<p style="color: rgb(from white r g b / 0.5)">UNSURE</p>'],
  ];
  it.each(cases)('%s', (_name, inner, style) => {
    const r = htmlToVisibleText(wrap(inner, style));
    expect(r.text).not.toMatch(/UNSURE/);
    expect(r.text).toMatch(/^Before\.\n\nAfter\./);
    expect(r.withheld).toBeGreaterThanOrEqual(1);
    expect(r.text.endsWith(withheldMarker(r.withheld ?? 0))).toBe(true);
  });

  it('says how many words were withheld, in one line', () => {
    const r = htmlToVisibleText(wrap('<p style="filter: blur(4px)">one two three</p><p style="mask: none">kept</p>'));
    expect(r.withheld).toBe(3);
    expect(r.text).toBe('Before.\n\nkept\n\nAfter.\n\n[3 words withheld: visibility could not be determined]');
  });
});

describe('what the engine does evaluate stays decided', () => {
  const cases: Array<[string, string, string, string?]> = [
    ['display:none with a comment glued to the value', '<p style="display:none/**/">HIDDEN</p>', 'Before.\n\nAfter.'],
    ['display:none/**/ !important in a sheet', '<p class="a">HIDDEN</p>', 'Before.\n\nAfter.', '.a { display: none/**/ ! important }'],
    ['nesting with &', '<div class="a"><p class="b">HIDDEN</p></div>', 'Before.\n\nAfter.', '.a { color: black; & .b { display: none } }'],
    ['nesting without & is relative to the parent', '<div class="a"><p class="b">HIDDEN</p></div>', 'Before.\n\nAfter.', '.a { .b { display: none } }'],
    ['a nested rule with & at the end', '<div class="c"><p class="a">HIDDEN</p></div>', 'Before.\n\nAfter.', '.a { color: black; .c & { display: none } }'],
    ['@media nested in a rule', '<p class="a">HIDDEN</p>', 'Before.\n\nAfter.', '.a { @media screen { display: none } }'],
    [':is() forgives an entry it cannot read', '<p class="a">HIDDEN</p>', 'Before.\n\nAfter.', ':is(.a, :unknown-pseudo) { display: none }'],
    [':where() left empty matches nothing', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', ':where(:unknown-pseudo) { display: none }'],
    ['nth-child(… of S) is evaluated', '<p class="a">HIDDEN</p>', 'Before.\n\nAfter.', '.a:nth-child(2 of .a, p) { display: none }'],
    ['color-mix() in oklch', '<p style="color: color-mix(in oklch, white 50%, white)">HIDDEN</p>', 'Before.\n\nAfter.'],
    ['light-dark() takes the light colour', '<p style="color: light-dark(white, black)">HIDDEN</p>', 'Before.\n\nAfter.'],
    ['a system colour', '<p style="color: Canvas">HIDDEN</p>', 'Before.\n\nAfter.'],
    ['color() in display-p3', '<p style="color: color(display-p3 1 1 1)">HIDDEN</p>', 'Before.\n\nAfter.'],
    ['an invalid selector list drops the rule', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '.a, .b:: { display: none }'],
    ['animation naming keyframes that change nothing visible', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@keyframes k { to { padding: 4px } } .a { animation: k 1s forwards }'],
    ['animation naming keyframes that do not exist', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '.a { animation: nothing 1s forwards }'],
    ['clip-path inset(0)', '<p style="clip-path: inset(0 0 0 0)">shown</p>', 'Before.\n\nshown\n\nAfter.'],
    ['a 2D rotation', '<p style="transform: rotate(180deg)">shown</p>', 'Before.\n\nshown\n\nAfter.'],
    ['an oklch colour', '<p style="color: oklch(0.5 0.1 200)">shown</p>', 'Before.\n\nshown\n\nAfter.'],
    ['white in lab() on white', '<p style="color: lab(100 0 0)">HIDDEN</p>', 'Before.\n\nAfter.'],
    ['rem resolves against the root font size', '<p style="font-size: 1rem">HIDDEN</p>', 'Before.\n\nAfter.', 'html { font-size: 1px } p:not([style]) { font-size: 16px }'],
    ['popover without author display is not shown', '<div popover>HIDDEN</div><div popover style="display:block">shown</div>', 'Before.\n\nshown\n\nAfter.'],
    ['meter and progress fallback is not shown', '<meter value="1">HIDDEN</meter><progress>HIDDEN</progress>', 'Before.\n\nAfter.'],
    ['details name: only the first open one of a group is open', '<details name="g" open><summary>one</summary>first</details><details name="g" open><summary>two</summary>HIDDEN</details>', 'Before.\n\none\nfirst\ntwo\n[collapsed section]\n\nAfter.'],
    // CSS Animations 1: animations run with JavaScript off; a forwards fill holds the last keyframe, above normal declarations, below !important.
    ['a forwards fill holds the end frame', '<p class="a">HIDDEN</p>', 'Before.\n\nAfter.', '@keyframes fade { to { opacity: 0 } } .a { animation: fade 1s forwards }'],
    ['without a fill the element returns to its own style', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@keyframes fade { to { opacity: 0 } } .a { animation: fade 1ms }'],
    ['!important in a keyframe is ignored', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@keyframes k { to { opacity: 0 !important } } .a { animation: k 1ms forwards }'],
    ['animation-timeline: none does not run it', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@keyframes f { to { opacity: 0 } } .a { animation: f 1ms forwards; animation-timeline: none }'],
    ['reverse with forwards ends on the from frame', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@keyframes f { from { opacity: 1 } to { opacity: 0 } } .a { animation: f 1ms reverse forwards }'],
    ['an !important declaration beats the held frame', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@keyframes f { to { opacity: 0 } } .a { animation: f 1ms forwards; opacity: 1 !important }'],
    // CSS Transitions 2: @starting-style only gives a transition its starting value; the element ends on its own style.
    ['a rule inside @starting-style does not stick', '<p class="a">shown</p>', 'Before.\n\nshown\n\nAfter.', '@starting-style { .a { opacity: 0 } }'],
    // CSS Cascade 5: @import after a style rule is invalid.
    ['@import after a rule is ignored', '<p class="x">shown</p>', 'Before.\n\nshown\n\nAfter.', '.y{color:red}@import url("data:text/css,.x%7Bdisplay:none%7D");'],
    ['@import before the rules applies', '<p class="x">HIDDEN</p>', 'Before.\n\nAfter.', '@import url("data:text/css,.x%7Bdisplay:none%7D"); .y{color:red}'],
    // Selectors 4: one invalid selector invalidates a plain list; reader-state pseudo-classes.
    ['an unknown pseudo-class drops the whole plain list', '<p class="x">shown</p>', 'Before.\n\nshown\n\nAfter.', '.x, p:hover:unknown{display:none}'],
    ['an unknown vendor pseudo-element drops the whole plain list', '<p class="x">shown</p>', 'Before.\n\nshown\n\nAfter.', '.x, ::-bogus-thing{display:none}'],
    [':target matches nothing without a fragment', '<p id="a">shown</p>', 'Before.\n\nshown\n\nAfter.', 'p:target{display:none}'],
    [':host outside a shadow tree matches nothing', '<p class="x">shown</p>', 'Before.\n\nshown\n\nAfter.', ':host .x{display:none}'],
    [':dir(rtl) matches by the dir attribute', '<p dir="rtl">HIDDEN</p><p>shown</p>', 'Before.\n\nshown\n\nAfter.', 'p:dir(rtl){display:none}'],
    ['noscript content shows with scripting off', '<noscript>shown</noscript>', 'Before.\n\nshown\n\nAfter.'],
  ];
  it.each(cases)('%s', (_name, inner, expected, style) => {
    const r = htmlToVisibleText(wrap(inner, style));
    expect(r.text).toBe(expected);
    expect(r.withheld).toBeUndefined();
  });
});
