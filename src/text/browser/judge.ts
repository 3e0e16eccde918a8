/**
 * The in-page judge, shared by the browser renderer (mode 'text') and the visible-text referee in
 * test/visible (mode 'words'). It is kept as source text and evaluated inside the page, so that no
 * compiler or bundler helper can leak into it; it runs after the mail has loaded with JavaScript off.
 */
export const JUDGE_SOURCE = String.raw`/*
 * The referee's in-page judge: evaluated (as source text, so no bundler helper can leak in) inside
 * headless Chromium after a mail has loaded with JavaScript off. It returns every word of every text
 * node with the browser's verdict: shown to a person, or hidden and why.
 *
 * A word is visible when all of these hold (each failing check names the reason):
 * - no-box: it has a layout box with area (display:none, closed <details>, head content fail here);
 * - visibility: computed visibility is 'visible';
 * - opacity: the product of opacity (and filter:opacity()) over it and its ancestors is >= 0.1;
 * - transparent: its fill colour (-webkit-text-fill-color, SVG fill) has alpha >= 0.1, unless the
 *   glyphs are drawn another way: a visible text-shadow, a text stroke, or background-clip:text
 *   with a background (gradient text);
 * - tiny: its box is at least 4px high and 2px wide (font-size:0/1px, scale(0.02));
 * - clipped: at least 30% of its box lies inside every ancestor that clips (overflow other than
 *   visible); content of a scroll container whose scrollport is at least 8px both ways counts as
 *   reachable, so the container is scrolled to it before the hit test;
 * - off-page: it is not left of or above the canvas (which nobody can scroll to) nor 2 viewport
 *   widths or more to the right;
 * - not-hit / covered: a hit test (document.elementsFromPoint) at 25%, 50% or 75% of its width
 *   reaches its element (clip-path, clip and overflow clip hit testing too), and no element painted
 *   above it there has an opaque background (an opaque box laid over it, or a z-index:-1 element
 *   behind its parent's background); <img> boxes count as opaque, as they are once loaded;
 * - same-colour: its colour, blended by its alpha over the background painted beneath it
 *   (composited down to the canvas), differs from that background by an sRGB distance, scaled by
 *   the opacity chain, of at least SAME_COLOUR_DISTANCE (25 of 441).
 *   A background image (url or gradient) makes the backdrop unknown, and the word counts as visible.
 * - effects: it is painted through a filter (other than opacity() and drop-shadow()), a blend mode
 *   or a mask on it or an ancestor: styles cannot tell what is painted.
 * In mode 'text' (the renderer) the pixel check has the final say wherever styles cannot settle:
 * words judged covered, not-hit, same-colour, clipped, transparent or effects, and words judged
 * visible over an unknown backdrop (an image), under something else hit above them, near a
 * positioned ::before/::after box or an outline, or in a block with ::first-line/::first-letter
 * styles. Those words are returned as pending; the renderer screenshots them with and without the
 * word (pixel-check.ts) and calls globalThis.__outlookJudge.finish(verdicts). A pending word the
 * pixel check could not see keeps its style verdict, except 'effects', which is withheld.
 * Options are judged by their <select>'s box: a drop-down shows only its selected option, a list box
 * (multiple or size > 1) the options whose own box lies inside the list box (the renderer; the
 * referee keeps judging all of them by the select's box). Text in a <textarea> is judged by the
 * textarea's box.
 *
 * Words are runs of letters, digits and marks with at least one letter or digit (format and other
 * default-ignorable characters, such as soft hyphens and zero-width joiners, are removed first).
 * Runs that touch across inline elements in the same block ('<b>Sum</b>mary') are joined when both
 * parts are visible, so the word list reads like the rendered text. Text in style, script and
 * title is code or metadata, never words (the caller counts markers there as not rendered).
 */
(mode) => {
  const SAME_COLOUR_DISTANCE = 25;
  const MIN_HEIGHT = 4;
  const MIN_WIDTH = 2;
  const MIN_OPACITY = 0.1;
  const VW = window.innerWidth;
  const VH = window.innerHeight;
  const WORD = /[\p{L}\p{N}\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}]+/gu;
  const STRIP = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
  const LETTER = /[\p{L}\p{N}]/u;
  const SKIP_PARENTS = new Set(['STYLE', 'SCRIPT', 'TITLE']);
  // Elements that separate words although they are not blocks (ruby text sits above its base).
  const BREAKERS = new Set(['BR', 'IMG', 'INPUT', 'HR', 'SELECT', 'TEXTAREA', 'BUTTON', 'WBR', 'RT', 'RP', 'svg']);

  const styleCache = new Map();
  const cs = (el) => {
    let s = styleCache.get(el);
    if (!s) {
      s = getComputedStyle(el);
      styleCache.set(el, s);
    }
    return s;
  };

  // Closed shadow roots are out of reach of page script: the renderer hands them over
  // (globalThis.__outlookShadowRoots, collected through the DevTools protocol before the judge runs).
  const closedRoots = new Map((globalThis.__outlookShadowRoots || []).map((r) => [r.host, r]));
  const shadowOf = (el) => el.shadowRoot ?? closedRoots.get(el) ?? null;
  /**
   * The parent in the flat tree, which is what is painted: a slotted node's slot, a shadow root's
   * host. The referee (mode 'words') keeps the light-tree parent its verdicts were made with.
   */
  function flatParent(el) {
    if (mode === 'text' && el.assignedSlot) return el.assignedSlot;
    return el.parentElement ?? (el.parentNode && el.parentNode.host) ?? null;
  }
  /** Every shadow root in the document, outer ones first (the renderer walks them; the referee does not). */
  function allShadowRoots() {
    const found = [];
    const visit = (scope) => {
      for (const el of scope.querySelectorAll('*')) {
        const r = shadowOf(el);
        if (r) {
          found.push(r);
          visit(r);
        }
      }
    };
    if (mode === 'text') visit(document);
    return found;
  }

  let probe;
  function parseColour(value) {
    const m = /rgba?\(([^)]*)\)/.exec(value || '');
    if (m) {
      const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    }
    // color-mix() and friends compute to color(srgb r g b / a) with channels from 0 to 1.
    const c = /color\(srgb\s+([^)]*)\)/.exec(value || '');
    if (c) {
      const parts = c[1].split(/[\s/]+/).filter(Boolean).map(Number);
      return [parts[0] * 255, parts[1] * 255, parts[2] * 255, parts.length > 3 ? parts[3] : 1];
    }
    if (value === 'transparent') return [0, 0, 0, 0];
    // Any other colour form Chromium keeps in computed style (lab(), lch(), oklab(), oklch(),
    // color(display-p3 ...), ...): the browser's own canvas converts it to sRGB, gamut-mapped as it
    // paints it. Values that are not one colour (a text-shadow list) stay unknown (null).
    if (!value || !CSS.supports('color', value)) return null;
    probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = value;
    probe.fillRect(0, 0, 1, 1);
    const d = probe.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  }

  function filterOpacity(filter) {
    let f = 1;
    if (!filter || filter === 'none') return f;
    for (const m of filter.matchAll(/opacity\(\s*([\d.]+)(%?)\s*\)/g)) {
      f *= m[2] ? Number(m[1]) / 100 : Number(m[1]);
    }
    return f;
  }

  const opacityCache = new Map();
  function opacityChain(el) {
    if (!el || el.nodeType !== 1) return 1;
    if (opacityCache.has(el)) return opacityCache.get(el);
    const s = cs(el);
    // The renderer: opacity and filter do not apply to an element without a box (display: contents).
    let o = mode === 'text' && s.display === 'contents' ? 1 : Number(s.opacity) * filterOpacity(s.filter);
    if (el instanceof SVGElement && el.tagName !== 'svg') o *= Number(s.fillOpacity ?? 1);
    o *= opacityChain(flatParent(el));
    opacityCache.set(el, o);
    return o;
  }

  function fillColour(el) {
    const s = cs(el);
    if (el instanceof SVGElement) {
      return s.fill === 'none' ? [0, 0, 0, 0] : (parseColour(s.fill) ?? [0, 0, 0, 1]);
    }
    return parseColour(s.webkitTextFillColor) ?? parseColour(s.color) ?? [0, 0, 0, 1];
  }

  /** Glyphs drawn without the fill colour: text-shadow, stroke, or background-clip:text. */
  function drawnOtherwise(el) {
    const s = cs(el);
    if (s.textShadow && s.textShadow !== 'none') {
      const c = parseColour(s.textShadow);
      if (!c || c[3] >= MIN_OPACITY) return true;
    }
    if (parseFloat(s.webkitTextStrokeWidth) > 0) {
      const c = parseColour(s.webkitTextStrokeColor);
      if (!c || c[3] >= MIN_OPACITY) return true;
    }
    for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
      const as = cs(a);
      if (as.webkitBackgroundClip === 'text' || as.backgroundClip === 'text') {
        const bg = parseColour(as.backgroundColor);
        if ((as.backgroundImage && as.backgroundImage !== 'none') || (bg && bg[3] >= MIN_OPACITY)) return true;
      }
    }
    return false;
  }

  function canvasColour() {
    const h = parseColour(cs(document.documentElement).backgroundColor);
    if (h && h[3] > 0) return { colour: h, bodyIsCanvas: false };
    const b = document.body ? parseColour(cs(document.body).backgroundColor) : null;
    if (b && b[3] > 0) return { colour: b, bodyIsCanvas: true };
    return { colour: [255, 255, 255, 1], bodyIsCanvas: true };
  }
  const canvas = canvasColour();
  const hasCanvasImage =
    cs(document.documentElement).backgroundImage !== 'none' ||
    (document.body && canvas.bodyIsCanvas && cs(document.body).backgroundImage !== 'none');

  function isCanvasElement(el) {
    return el === document.documentElement || (el === document.body && canvas.bodyIsCanvas);
  }

  function blend(top, bottom) {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  }

  /** An element that paints an opaque layer at a point above the text. */
  function isOpaqueCover(el) {
    if (isCanvasElement(el)) return false;
    if (el.tagName === 'IMG') return true;
    const s = cs(el);
    if (s.visibility !== 'visible') return false;
    const op = opacityChain(el);
    if (op < 0.9) return false;
    if (s.backgroundImage && s.backgroundImage !== 'none' && !/^url\(/.test(s.backgroundImage)) return true;
    const bg = parseColour(s.backgroundColor);
    return !!bg && bg[3] * op >= 0.9;
  }

  /** The colour painted beneath the text at a point, or null when an image makes it unknown. */
  function backdrop(stack, from) {
    const layers = [];
    for (let i = from; i < stack.length; i++) {
      const el = stack[i];
      if (isCanvasElement(el)) break;
      const s = cs(el);
      if (s.visibility !== 'visible') continue;
      if (el.tagName === 'IMG') return null;
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      const bg = parseColour(s.backgroundColor);
      if (!bg || bg[3] === 0) continue;
      // Raw alphas: opacity scales the text's contrast as a whole (see judge()).
      const a = bg[3];
      layers.push([bg[0], bg[1], bg[2], a]);
      if (a >= 0.99) break;
    }
    if (layers.length === 0 || layers[layers.length - 1][3] < 0.99) {
      if (hasCanvasImage) return null;
      layers.push(canvas.colour);
    }
    let c = layers[layers.length - 1];
    for (let i = layers.length - 2; i >= 0; i--) c = blend(layers[i], c);
    return c;
  }

  /** Ancestors that clip their content, innermost first (the viewport is judged separately). */
  const clipCache = new Map();
  function clippers(el) {
    if (clipCache.has(el)) return clipCache.get(el);
    const out = [];
    for (let a = el; a && a.nodeType === 1; a = flatParent(a)) {
      if (a === document.body || a === document.documentElement) continue;
      const s = cs(a);
      // overflow does not apply to inline boxes or table rows and columns.
      if (/^(inline|contents|table-(row|row-group|header-group|footer-group|column|column-group))$/.test(s.display)) continue;
      const cx = s.overflowX !== 'visible';
      const cy = s.overflowY !== 'visible';
      if (cx || cy || (s.contain && /paint|strict|content/.test(s.contain))) {
        const scrolls = /auto|scroll/.test(s.overflowX + s.overflowY) && a.clientWidth >= 8 && a.clientHeight >= 8;
        out.push({ el: a, cx: cx || !!s.contain, cy: cy || !!s.contain, scrolls });
      }
    }
    clipCache.set(el, out);
    return out;
  }

  function clipBox(a) {
    const r = a.getBoundingClientRect();
    return { left: r.left + a.clientLeft, top: r.top + a.clientTop, width: a.clientWidth, height: a.clientHeight };
  }

  function insideShare(r, box, cx, cy) {
    const left = cx ? Math.max(r.left, box.left) : r.left;
    const right = cx ? Math.min(r.right, box.left + box.width) : r.right;
    const top = cy ? Math.max(r.top, box.top) : r.top;
    const bottom = cy ? Math.min(r.bottom, box.top + box.height) : r.bottom;
    const w = Math.max(0, right - left);
    const h = Math.max(0, bottom - top);
    return (w * h) / Math.max(1e-6, r.width * r.height);
  }

  /** Scrolls inner scroll containers and the window so that the rectangle's centre is on screen. */
  function reveal(getRect, clips) {
    for (const c of clips) {
      if (!c.scrolls) continue;
      const r = getRect();
      const box = clipBox(c.el);
      if (r.top < box.top || r.bottom > box.top + box.height) c.el.scrollTop += r.top - box.top - box.height / 2;
      if (r.left < box.left || r.right > box.left + box.width) c.el.scrollLeft += r.left - box.left - box.width / 2;
    }
    const r = getRect();
    const cxp = r.left + r.width / 2;
    const cyp = r.top + r.height / 2;
    if (cxp < 0 || cxp >= VW || cyp < 0 || cyp >= VH) {
      window.scrollTo(window.scrollX + cxp - VW / 2, window.scrollY + cyp - VH / 2);
    }
  }

  function firstBoxed(el) {
    let a = el;
    while (a && a.nodeType === 1 && cs(a).display === 'contents') a = a.parentElement;
    return a;
  }

  const viewportClipsX = /hidden|clip/.test(cs(document.documentElement).overflowX) ||
    (document.body && /hidden|clip/.test(cs(document.body).overflowX));
  const viewportClipsY = /hidden|clip/.test(cs(document.documentElement).overflowY) ||
    (document.body && /hidden|clip/.test(cs(document.body).overflowY));

  // Filters (other than opacity(), counted in the opacity chain, and drop-shadow(), which only adds
  // paint), blend modes and masks change the painted pixels in ways computed styles cannot tell:
  // brightness(0) on black, multiply on black, a gradient mask. Until the renderer compares pixels,
  // text painted through one is withheld (fails closed), as the builtin engine does.
  const effectsCache = new Map();
  function paintedThroughEffects(el) {
    if (!el || el.nodeType !== 1) return false;
    if (effectsCache.has(el)) return effectsCache.get(el);
    const s = cs(el);
    if (s.display === 'contents') {
      // Filters, blend modes and masks do not apply to an element without a box.
      const through = paintedThroughEffects(flatParent(el));
      effectsCache.set(el, through);
      return through;
    }
    const filter = s.filter && s.filter !== 'none' ? s.filter.replace(/(opacity|drop-shadow)\((?:[^()]|\([^()]*\))*\)/g, '').trim() : '';
    const mask = (s.maskImage && s.maskImage !== 'none') || (s.webkitMaskImage && s.webkitMaskImage !== 'none');
    const parent = flatParent(el);
    const r = filter !== '' || (s.mixBlendMode && s.mixBlendMode !== 'normal') || Boolean(mask) || paintedThroughEffects(parent);
    effectsCache.set(el, r);
    return r;
  }

  // --- Renderer only: what makes a style verdict uncertain enough for the pixel check. ---

  /** A ::before/::after box that may paint over text: generated content taken out of flow or moved. */
  const pseudoCache = new Map();
  function hasPseudoCover(el) {
    if (!el || el.nodeType !== 1) return false;
    if (pseudoCache.has(el)) return pseudoCache.get(el);
    let r = false;
    for (const which of ['::before', '::after']) {
      const p = getComputedStyle(el, which);
      if (!p.content || p.content === 'none' || p.content === 'normal' || p.display === 'none') continue;
      if (p.position !== 'static' || p.transform !== 'none' || /-/.test(p.marginTop + p.marginLeft + p.marginRight + p.marginBottom) || p.float !== 'none') r = true;
    }
    pseudoCache.set(el, r);
    return r;
  }
  const parentOf = flatParent;
  const pseudoChainCache = new Map();
  function pseudoCoverAbove(el) {
    if (!el || el.nodeType !== 1) return false;
    if (pseudoChainCache.has(el)) return pseudoChainCache.get(el);
    const r = hasPseudoCover(el) || pseudoCoverAbove(parentOf(el));
    pseudoChainCache.set(el, r);
    return r;
  }

  /** ::first-line or ::first-letter styles that differ from the element's own (on it or a containing block). */
  // Inherited properties that change what the glyphs look like: the pseudo-element differs from its
  // element only when a rule set them. (Non-inherited ones, such as vertical-align, differ by default;
  // of those only a background can hide the text.)
  const FIRST_PROPS = ['color', 'webkitTextFillColor', 'visibility', 'fontSize', 'textShadow', 'webkitTextStrokeWidth', 'webkitTextStrokeColor', 'letterSpacing', 'lineHeight'];
  const firstCache = new Map();
  function firstStyled(el) {
    if (!el || el.nodeType !== 1) return false;
    if (firstCache.has(el)) return firstCache.get(el);
    const s = cs(el);
    let r = false;
    for (const which of ['::first-line', '::first-letter']) {
      const p = getComputedStyle(el, which);
      const bg = parseColour(p.backgroundColor);
      if (FIRST_PROPS.some((k) => p[k] && p[k] !== s[k]) || (bg && bg[3] > 0) || p.backgroundImage !== 'none') r = true;
    }
    r = r || firstStyled(parentOf(el));
    firstCache.set(el, r);
    return r;
  }

  /** Outlines are painted over content and are not hit-tested: the boxes they may paint, listed once. */
  let outlines;
  function outlineOver(r) {
    if (!outlines) {
      outlines = [];
      for (const el of document.querySelectorAll('body, body *')) {
        const s = cs(el);
        const w = parseFloat(s.outlineWidth) || 0;
        if (s.outlineStyle === 'none' || w <= 0) continue;
        const b = el.getBoundingClientRect();
        const o = w + Math.max(0, parseFloat(s.outlineOffset) || 0);
        outlines.push({ left: b.left + scrollX - o, top: b.top + scrollY - o, right: b.right + scrollX + o, bottom: b.bottom + scrollY + o });
      }
    }
    const left = r.left + scrollX, top = r.top + scrollY, right = r.right + scrollX, bottom = r.bottom + scrollY;
    return outlines.some((o) => left < o.right && o.left < right && top < o.bottom && o.top < bottom);
  }

  /**
   * Whether a word of a form field's text lies inside the field's box: the text is laid out again in
   * a mirror block with the field's metrics (width, font, padding, indent, wrapping: a textarea wraps,
   * an input keeps one line), as the control lays it out before any scrolling; rows past its height
   * or text pushed past its sides are not painted. Mirrors sit outside the page and are removed when
   * the walk ends.
   */
  const mirrors = new Map();
  function mirrorOf(control, texts, oneLine) {
    let lay = mirrors.get(control);
    if (lay) return lay;
    const s = cs(control);
    const mirror = document.createElement('div');
    const copy = ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontStretch', 'letterSpacing', 'wordSpacing', 'lineHeight', 'textIndent', 'textTransform', 'textAlign', 'direction', 'tabSize', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'writingMode'];
    const st = mirror.style;
    for (const k of copy) st[k] = s[k];
    st.position = 'absolute';
    st.left = '0';
    st.top = '0';
    st.visibility = 'hidden';
    st.boxSizing = 'border-box';
    st.border = '0';
    st.width = control.clientWidth + 'px';
    st.whiteSpace = oneLine ? 'pre' : s.whiteSpace === 'pre' ? 'pre' : 'pre-wrap';
    st.overflowWrap = 'break-word';
    st.wordBreak = s.wordBreak;
    const copies = texts.map((t) => document.createTextNode(t));
    mirror.append(...copies);
    document.documentElement.append(mirror);
    lay = { mirror, copies, w: control.clientWidth, h: oneLine ? Infinity : control.clientHeight, pl: parseFloat(s.paddingLeft) || 0, pr: parseFloat(s.paddingRight) || 0 };
    mirrors.set(control, lay);
    return lay;
  }
  function fitsMirror(lay, i, start, end) {
    const range = document.createRange();
    range.setStart(lay.copies[i], start);
    range.setEnd(lay.copies[i], end);
    const box = lay.mirror.getBoundingClientRect();
    // The content box: a field clips its text at its padding edge.
    const inside = { left: box.left + lay.pl, top: box.top, width: lay.w - lay.pl - lay.pr, height: lay.h };
    return [...range.getClientRects()].some((r) => r.width > 0 && insideShare(r, inside, true, lay.h !== Infinity) >= 0.3);
  }
  function textareaShows(ta, node, start, end) {
    const nodes = [...ta.childNodes].filter((n) => n.nodeType === 3);
    const i = nodes.indexOf(node);
    if (i < 0) return true;
    return fitsMirror(mirrorOf(ta, nodes.map((n) => n.data), false), i, start, end);
  }

  /** Set by judge() when a word judged visible stands where styles cannot be sure (renderer only). */
  let suspicious = false;
  function suspiciousAt(el, target, stack, at, r) {
    if (mode !== 'text') return false;
    if (at > 0) return true;
    return pseudoCoverAbove(target) || firstStyled(el) || outlineOver(r);
  }

  /** Hidden verdicts that a pixel check may overturn (the renderer asks it for the final say). */
  const CHECKABLE = new Set(['covered', 'not-hit', 'same-colour', 'clipped', 'transparent', 'effects']);

  /** The renderer's verdict: null (visible), a reason, or { check: styleVerdict } for the pixel check. */
  function verdict(el, getRects) {
    suspicious = false;
    const reason = judge(el, getRects, false);
    if (mode !== 'text') return reason;
    if (reason === null ? suspicious : CHECKABLE.has(reason)) return { check: reason };
    return reason;
  }

  /** Judges one word: returns null when visible, or the reason it is hidden. */
  function judge(el, getRects, isControl) {
    const s = cs(el);
    if (s.visibility !== 'visible') return 'visibility';
    let rects = getRects().filter((r) => r.width > 0 || r.height > 0);
    if (rects.length === 0) return 'no-box';
    if (opacityChain(el) < MIN_OPACITY) return 'opacity';
    const fill = isControl ? [0, 0, 0, 1] : fillColour(el);
    const other = !isControl && drawnOtherwise(el);
    if (fill[3] < MIN_OPACITY && !other) return 'transparent';
    const big = rects.filter((r) => r.height >= MIN_HEIGHT && r.width >= MIN_WIDTH);
    if (big.length === 0) return 'tiny';
    const clips = clippers(el);
    const inClip = (r) =>
      clips.every((c) => {
        const box = clipBox(c.el);
        if (c.scrolls) {
          // Reachable by scrolling: judge against the scrollable area instead of the scrollport.
          return c.el.clientWidth >= 8 && c.el.clientHeight >= 8 &&
            insideShare(r, { left: box.left - c.el.scrollLeft, top: box.top - c.el.scrollTop, width: c.el.scrollWidth, height: c.el.scrollHeight }, c.cx, c.cy) >= 0.3;
        }
        return insideShare(r, box, c.cx, c.cy) >= 0.3;
      });
    if (!big.some(inClip)) return 'clipped';
    const sx = window.scrollX;
    const sy = window.scrollY;
    const onPage = (r) => {
      const left = r.left + sx, top = r.top + sy;
      if (left + r.width <= 0 || top + r.height <= 0 || left >= 2 * VW) return false;
      if (viewportClipsX && left >= VW) return false;
      if (viewportClipsY && top >= VH) return false;
      return true;
    };
    if (!big.some(onPage)) return 'off-page';
    // Only the renderer fails closed here; the referee (mode 'words') keeps its committed verdicts.
    if (mode === 'text' && paintedThroughEffects(el)) return 'effects';
    const target = firstBoxed(el);
    // Decided before any scrolling, while the rectangles and clip boxes share one scroll position.
    const eligible = big.map((r) => inClip(r) && onPage(r));
    let reason = 'not-hit';
    for (let k = 0; k < big.length; k++) {
      if (!eligible[k]) continue;
      const pick = () => {
        const fresh = getRects().filter((r) => r.height >= MIN_HEIGHT && r.width >= MIN_WIDTH);
        return fresh[k] ?? fresh[0] ?? big[k];
      };
      reveal(pick, clips);
      const r = pick();
      for (const fx of [0.5, 0.25, 0.75]) {
        const x = r.left + r.width * fx;
        const y = r.top + r.height / 2;
        const stack = document.elementsFromPoint(x, y);
        const at = stack.indexOf(target);
        if (at < 0) continue;
        if (stack.slice(0, at).some(isOpaqueCover)) {
          reason = 'covered';
          continue;
        }
        suspicious = suspiciousAt(el, target, stack, at, r);
        if (other) return null;
        const back = backdrop(stack, at);
        if (!back) {
          suspicious = mode === 'text';
          return null;
        }
        // Group opacity blends text and backdrop alike with what lies beneath, so the
        // contrast that survives is the in-group contrast scaled by the opacity chain.
        const fg = blend(fill, back);
        const d = opacityChain(el) * Math.hypot(fg[0] - back[0], fg[1] - back[1], fg[2] - back[2]);
        if (d >= SAME_COLOUR_DISTANCE) return null;
        reason = 'same-colour';
      }
    }
    return reason;
  }

  /** Nearest ancestor that is not inline-level: words only join inside one block. */
  function blockOf(el) {
    for (let a = el; a && a.nodeType === 1; a = flatParent(a)) {
      const d = cs(a).display;
      if (!/^inline|^contents$|^none$|^ruby/.test(d) || d === 'inline-block' || d === 'inline-table' || d === 'inline-flex' || d === 'inline-grid') return a;
    }
    return null;
  }

  function selectOf(el) {
    return el.closest('select');
  }

  const PRESENTATIONAL = ['hidden', 'bgcolor', 'color', 'size', 'text', 'fill', 'fill-opacity', 'display', 'visibility', 'opacity', 'font-size', 'transform'];
  const runsOf = new Map();
  const out = [];
  const pending = [];
  let probes = [];
  let prev = null; // { index, block, end } of the last visible word, when it ended its text node
  const shadowRoots = allShadowRoots();
  for (const root of [document.documentElement, ...shadowRoots]) {
    prev = null;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === 1) {
        if (BREAKERS.has(node.tagName) || blockOf(node) === node) prev = null;
        continue;
      }
      // A slotted text node is styled by its slot; text at the top of a shadow root by its host.
      const el = (mode === 'text' && node.assignedSlot) || node.parentElement || (mode === 'text' && node.parentNode && node.parentNode.host) || null;
      if (!el || SKIP_PARENTS.has(el.tagName)) continue;
      if (el.closest('head') && !el.closest('body')) continue;
      const text = node.data;
      const sel = selectOf(el);
      const textarea = el.closest('textarea');
      const control = sel ?? textarea;
      const block = control ? null : blockOf(el);
      let words = 0;
      for (const m of text.matchAll(WORD)) {
        const word = m[0].replace(STRIP, '');
        const start = m.index;
        const end = start + m[0].length;
        if (start > 0) prev = null;
        if (!LETTER.test(word)) continue;
        words++;
        let reason;
        if (sel) {
          // A drop-down shows its selected option; a list box (multiple or size > 1) shows them all.
          const opt = el.closest('option');
          const listbox = sel.multiple || sel.size > 1;
          const shown = opt && (listbox || sel.options[sel.selectedIndex] === opt);
          reason = shown ? judge(sel, () => [...sel.getClientRects()], true) : 'unselected-option';
          // The renderer: a list box shows the rows that fit its box (size), the rest only by scrolling it.
          if (mode === 'text' && reason === null && listbox && insideShare(opt.getBoundingClientRect(), clipBox(sel), true, true) < 0.5) reason = 'clipped';
        } else if (textarea) {
          reason = judge(textarea, () => [...textarea.getClientRects()], true);
          // The renderer: only the lines and columns that fit the textarea's box are painted.
          if (mode === 'text' && reason === null && !textareaShows(textarea, node, start, end)) reason = 'clipped';
        } else {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, end);
          reason = verdict(el, () => [...range.getClientRects()]);
          if (reason !== null && typeof reason === 'object') {
            // Left to the pixel check; joins across elements are not needed in text mode.
            pending.push({ node, el, start, end, fallback: reason.check });
            prev = null;
            continue;
          }
        }
        if (mode === 'text') record(node, start, end, reason === null);
        if (reason === null) {
          let index;
          if (prev && start === 0 && block !== null && prev.block === block) {
            index = prev.index;
            out[index].w += word;
          } else {
            index = out.push({ w: word, v: true }) - 1;
          }
          prev = end === text.length ? { index, block } : null;
        } else {
          out.push({ w: word, v: false, r: reason });
          // Hidden inline text between two halves keeps the join open: 'Pass<s hidden>x</s>word'.
          if (end !== text.length) prev = null;
        }
      }
      if (words === 0 && text.length > 0) {
        prev = null;
        // Punctuation or symbols alone: judged as one run, so hidden ones do not survive the clean-up.
        if (mode === 'text' && /\S/.test(text) && !control) {
          const range = document.createRange();
          range.selectNodeContents(node);
          record(node, 0, text.length, judge(el, () => [...range.getClientRects()], false) === null);
        }
      }
    }
  }
  if (mode !== 'text') return out;
  const fields = judgeFields();
  for (const lay of mirrors.values()) lay.mirror.remove();
  if (pending.length === 0) return cleanDocument(0);
  globalThis.__outlookJudge = { look, probe: probeWords, unprobe, finish };
  return { pending: pending.map((p, id) => ({ id, rects: docRects(p) })) };

  /**
   * Text mode: the text an <input> paints (its value, or its placeholder while it has none) is no
   * text node; it is judged with the control's box (the value in the input's own colour) and, when
   * shown, written as text next to the control by cleanDocument().
   */
  function judgeFields() {
    const found = [];
    const NO_TEXT = /^(hidden|checkbox|radio|file|image|range|color)$/;
    const BUTTON = /^(submit|reset|button)$/;
    for (const scope of [document, ...shadowRoots]) {
      for (const input of scope.querySelectorAll('input')) {
        if (NO_TEXT.test(input.type)) continue;
        const value = input.type === 'password' ? '' : input.value;
        const text = value || input.placeholder || '';
        if (!LETTER.test(text)) continue;
        let reason = judge(input, () => [...input.getClientRects()], !value);
        if (reason === null && !value) {
          // A placeholder is painted in its ::placeholder colour.
          const ph = getComputedStyle(input, '::placeholder');
          const c = parseColour(ph.webkitTextFillColor) ?? parseColour(ph.color);
          if (c && c[3] < MIN_OPACITY) reason = 'transparent';
        }
        const words = [...text.matchAll(WORD)].filter((m) => LETTER.test(m[0]));
        // A text field shows its text from the start, on one line, as far as its box allows.
        const lay = reason === null && !BUTTON.test(input.type) ? mirrorOf(input, [text], true) : null;
        const shown = words.filter((m) => reason === null && (!lay || fitsMirror(lay, 0, m.index, m.index + m[0].length)));
        found.push({ input, text: shown.map((m) => m[0]).join(' '), hidden: words.length - shown.length });
      }
    }
    return found;
  }

  /** Text mode: the document rectangles of a pending word (at the current scroll positions). */
  function docRects(p) {
    const range = document.createRange();
    range.setStart(p.node, p.start);
    range.setEnd(p.node, p.end);
    return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0).map((r) => [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY]);
  }

  /**
   * Text mode: scrolls the window to (x, y) and each word's scroll containers to the word, then
   * returns for each word its viewport rectangles, or null when a scroll container still hides it
   * (two words of one container that do not fit its scrollport together), plus the scroll position.
   */
  function look(ids, x, y) {
    window.scrollTo(x, y);
    for (const id of ids) {
      const p = pending[id];
      const range = document.createRange();
      range.setStart(p.node, p.start);
      range.setEnd(p.node, p.end);
      const rect = () => range.getBoundingClientRect();
      for (const c of clippers(p.el)) {
        if (!c.scrolls) continue;
        const r = rect();
        const box = clipBox(c.el);
        if (r.top < box.top || r.bottom > box.top + box.height) c.el.scrollTop += r.top - box.top - box.height / 2;
        if (r.left < box.left || r.right > box.left + box.width) c.el.scrollLeft += r.left - box.left - box.width / 2;
      }
    }
    const words = ids.map((id) => {
      const p = pending[id];
      const range = document.createRange();
      range.setStart(p.node, p.start);
      range.setEnd(p.node, p.end);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      const hiddenByScroller = clippers(p.el).some((c) => c.scrolls && !rects.some((r) => insideShare(r, clipBox(c.el), c.cx, c.cy) >= 0.3));
      return hiddenByScroller ? null : rects.map((r) => [r.left, r.top, r.right, r.bottom]);
    });
    return { words, sx: scrollX, sy: scrollY };
  }

  /**
   * Text mode: wraps each word in a probe with visibility:hidden (layout kept, its glyphs gone from
   * fill, stroke, shadow and background-clip:text), last offsets first so earlier ones stay valid.
   */
  function probeWords(ids) {
    // Pending words were listed in document order: the reverse wraps later offsets of a node first.
    const order = [...ids].sort((a, b) => b - a);
    probes = [];
    for (const id of order) {
      const p = pending[id];
      const svg = p.node.parentNode && p.node.parentNode.namespaceURI === 'http://www.w3.org/2000/svg';
      const box = svg ? document.createElementNS('http://www.w3.org/2000/svg', 'tspan') : document.createElement('x-outlook-probe');
      box.setAttribute('style', 'visibility:hidden!important;transition:none!important;animation:none!important');
      const after = p.node.splitText(p.end);
      const mid = p.node.splitText(p.start);
      mid.replaceWith(box);
      box.append(mid);
      probes.push({ box, mid, after, node: p.node });
    }
  }

  /** Text mode: undoes every probe, last first, restoring each text node's data. */
  function unprobe() {
    while (probes.length) {
      const { box, mid, after, node } = probes.pop();
      box.remove();
      node.data = node.data + mid.data + after.data;
      after.remove();
    }
  }

  /**
   * Text mode: applies the pixel check's verdicts (true painted, false not, null not seen) and
   * returns the cleaned document. A word the check could not see keeps its style verdict; one
   * painted through effects is then withheld (fails closed).
   */
  function finish(verdicts) {
    unprobe();
    let withheld = 0;
    pending.forEach((p, i) => {
      const v = verdicts[i];
      if ((v === null || v === undefined) && p.fallback === 'effects') withheld++;
      const visible = v === true || ((v === null || v === undefined) && p.fallback === null);
      record(p.node, p.start, p.end, visible);
    });
    delete globalThis.__outlookJudge;
    return cleanDocument(withheld);
  }

  /** Text mode: what each text node showed, recorded while judging, applied once all is judged. */
  function record(node, start, end, visible) {
    let runs = runsOf.get(node);
    if (!runs) {
      runs = [];
      runsOf.set(node, runs);
    }
    runs.push({ start, end, visible });
  }

  /**
   * Text mode: removes every hidden run, then strips what decided visibility (style sheets, style
   * and presentational attributes), keeping only each element's computed display and white-space,
   * so that a plain walk of the returned HTML writes exactly the painted text in reading order.
   */
  function cleanDocument(withheld) {
    let hiddenWords = 0;
    let hiddenRuns = 0;
    for (const [node, runs] of runsOf) {
      // Runs left to the pixel check are recorded last: removal below goes by offset.
      runs.sort((a, b) => a.start - b.start);
      const hidden = runs.filter((r) => !r.visible);
      if (hidden.length === 0) continue;
      hiddenRuns++;
      hiddenWords += hidden.filter((r) => LETTER.test(node.data.slice(r.start, r.end))).length;
      if (hidden.length === runs.length) {
        node.data = '';
        continue;
      }
      let data = node.data;
      for (let i = hidden.length - 1; i >= 0; i--) data = data.slice(0, hidden[i].start) + data.slice(hidden[i].end);
      node.data = data;
    }
    // Slot assignments, read before anything moves: each slot's flattened assigned nodes (or its fallback).
    const slots = [];
    for (const r of shadowRoots) for (const slot of r.querySelectorAll('slot')) slots.push([slot, slot.assignedNodes({ flatten: true })]);
    const keep = [];
    for (const scope of [document, ...shadowRoots]) {
      for (const el of scope.querySelectorAll(scope === document ? 'body, body *' : '*')) {
        const s = cs(el);
        keep.push([el, s.display, s.whiteSpace]);
      }
    }
    // Form fields: the painted value written as text, every value and placeholder attribute dropped.
    for (const f of fields) {
      if (f.text) f.input.after(document.createTextNode(' ' + f.text + ' '));
      hiddenWords += f.hidden;
      f.input.removeAttribute('value');
      f.input.removeAttribute('placeholder');
    }
    // The flat tree becomes the document: each host shows its shadow tree, each slot what it was assigned.
    for (const r of shadowRoots) r.host.replaceChildren(...r.childNodes);
    for (const [slot, nodes] of slots) slot.replaceWith(...nodes);
    // Style sheets have done their work; template content is inert (never painted), and a template
    // left in the document was not a shadow root.
    for (const el of document.querySelectorAll('style, link, template')) el.remove();
    for (const [el, display, whiteSpace] of keep) {
      // A list box's size says how it is drawn (all options shown): kept on <select>.
      for (const name of PRESENTATIONAL) if (!(name === 'size' && el.tagName === 'SELECT')) el.removeAttribute(name);
      const pre = /^(pre|pre-wrap|break-spaces)$/.test(whiteSpace) ? 'pre' : whiteSpace === 'pre-line' ? 'pre-line' : 'normal';
      el.setAttribute('style', 'display:' + display + ';white-space:' + pre);
    }
    return { html: '<!DOCTYPE html>' + document.documentElement.outerHTML, hiddenWords: hiddenWords - withheld, hiddenRuns, withheldWords: withheld };
  }
}
`;

/** The expression that runs the judge in a page: 'words' returns every word and its verdict; 'text' returns the cleaned HTML. */
export function judgeExpression(mode: 'words' | 'text'): string {
  return `(${JUDGE_SOURCE})(${JSON.stringify(mode)})`;
}
