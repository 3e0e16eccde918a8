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
 *   or a mask on it or an ancestor: without a pixel check its visibility is unknown (withheld).
 * Options are judged by their <select>'s box: a drop-down shows only its selected option, a list box
 * (multiple or size > 1) all of them. Text in a <textarea> is judged by the textarea's box.
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
    let o = Number(s.opacity) * filterOpacity(s.filter);
    if (el instanceof SVGElement && el.tagName !== 'svg') o *= Number(s.fillOpacity ?? 1);
    const parent = el.parentElement ?? (el.parentNode && el.parentNode.host) ?? null;
    o *= opacityChain(parent);
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
    for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
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
    const filter = s.filter && s.filter !== 'none' ? s.filter.replace(/(opacity|drop-shadow)\((?:[^()]|\([^()]*\))*\)/g, '').trim() : '';
    const mask = (s.maskImage && s.maskImage !== 'none') || (s.webkitMaskImage && s.webkitMaskImage !== 'none');
    const parent = el.parentElement ?? (el.parentNode && el.parentNode.host) ?? null;
    const r = filter !== '' || (s.mixBlendMode && s.mixBlendMode !== 'normal') || Boolean(mask) || paintedThroughEffects(parent);
    effectsCache.set(el, r);
    return r;
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
        if (other) return null;
        const back = backdrop(stack, at);
        if (!back) return null;
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
    for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
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
  let prev = null; // { index, block, end } of the last visible word, when it ended its text node
  const root = document.documentElement;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 1) {
      if (BREAKERS.has(node.tagName) || blockOf(node) === node) prev = null;
      continue;
    }
    const el = node.parentElement;
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
      } else if (textarea) {
        reason = judge(textarea, () => [...textarea.getClientRects()], true);
      } else {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        reason = judge(el, () => [...range.getClientRects()], false);
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
  if (mode !== 'text') return out;
  return cleanDocument();

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
  function cleanDocument() {
    let hiddenWords = 0;
    let hiddenRuns = 0;
    for (const [node, runs] of runsOf) {
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
    const keep = [];
    for (const el of document.querySelectorAll('body, body *')) {
      const s = cs(el);
      keep.push([el, s.display, s.whiteSpace]);
    }
    for (const el of document.querySelectorAll('style, link')) el.remove();
    for (const [el, display, whiteSpace] of keep) {
      // A list box's size says how it is drawn (all options shown): kept on <select>.
      for (const name of PRESENTATIONAL) if (!(name === 'size' && el.tagName === 'SELECT')) el.removeAttribute(name);
      const pre = /^(pre|pre-wrap|break-spaces)$/.test(whiteSpace) ? 'pre' : whiteSpace === 'pre-line' ? 'pre-line' : 'normal';
      el.setAttribute('style', 'display:' + display + ';white-space:' + pre);
    }
    return { html: '<!DOCTYPE html>' + document.documentElement.outerHTML, hiddenWords, hiddenRuns };
  }
}
`;

/** The expression that runs the judge in a page: 'words' returns every word and its verdict; 'text' returns the cleaned HTML. */
export function judgeExpression(mode: 'words' | 'text'): string {
  return `(${JUDGE_SOURCE})(${JSON.stringify(mode)})`;
}
