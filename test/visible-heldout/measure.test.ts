/**
 * The measuring module itself: a renderer that shows exactly what the browser painted scores 0
 * leaked and 0 dropped; one that shows every word leaks every hidden marker; one that shows nothing
 * drops every visible marker; withheld counts add up. Runs on a small verdicts fixture built here,
 * so it does not depend on the committed verdicts.
 */
import { describe, expect, it } from 'vitest';
import type { HeldoutVerdicts } from './heldout.js';
import { formatHeldoutTable, gateFailures, HELDOUT_GATE, measureHeldout, type Renderer } from './measure.js';

const verdicts: HeldoutVerdicts = {
  referee: 'test',
  viewport: '1280x900',
  rule: 'test',
  cases: {
    'fam-a/0001-x.html': { HIDq0001a: { browser: 'hidden', reason: 'no-box' }, VISq0001b: { browser: 'visible' } },
    'fam-a/0002-y.html': { VISq0002a: { browser: 'hidden', reason: 'not-painted' }, VISq0002b: { browser: 'visible' } },
    'fam-b/0003-z.html': { HIDq0003a: { browser: 'visible' } },
  },
  disagreements: [],
};
const html: Record<string, string> = {
  'fam-a/0001-x.html': '<p hidden>HIDq0001a</p><p>VISq0001b</p>',
  'fam-a/0002-y.html': '<p style="color:#fff">VISq0002a</p><p>VISq0002b</p>',
  'fam-b/0003-z.html': '<p>HIDq0003a</p>',
};
const read = (file: string): string => html[file]!;
const fileOf = (h: string): string => Object.keys(html).find((f) => html[f] === h)!;

describe('measureHeldout', () => {
  it('scores an oracle (exactly the browser-visible markers) at 0 leaked, 0 dropped', async () => {
    const oracle: Renderer = async (h) => ({
      text: Object.entries(verdicts.cases[fileOf(h)]!).filter(([, m]) => m.browser === 'visible').map(([w]) => w).join(' '),
    });
    const m = await measureHeldout(verdicts, read, oracle);
    expect({ leaked: m.total.leaked, dropped: m.total.dropped, hidden: m.total.hiddenMarkers, visible: m.total.visibleMarkers }).toEqual({ leaked: 0, dropped: 0, hidden: 2, visible: 3 });
    expect(gateFailures(m, HELDOUT_GATE.browser)).toEqual([]);
  });

  it('counts every hidden marker as leaked when all text is kept, judged by the browser not the prefix', async () => {
    const keepAll: Renderer = async (h) => ({ text: h.replace(/<[^>]*>/g, ' ') });
    const m = await measureHeldout(verdicts, read, keepAll);
    expect(m.leaked).toEqual(['fam-a/0001-x.html: HIDq0001a (no-box)', 'fam-a/0002-y.html: VISq0002a (not-painted)']);
    expect(m.dropped).toEqual([]);
    expect(m.leakRate).toBe(1);
    expect(gateFailures(m, HELDOUT_GATE.builtin)).toEqual(['leaked 100.0% of hidden markers (limit 3.0%)']);
  });

  it('counts drops, glued markers as missing, and sums withheld words per family', async () => {
    const glued: Renderer = async (h) => ({ text: fileOf(h) === 'fam-a/0001-x.html' ? 'VISq0001bVISq0001b' : '', withheld: 4 });
    const m = await measureHeldout(verdicts, read, glued);
    expect(m.total.dropped).toBe(3);
    expect(m.dropRate).toBe(1);
    expect(m.families.map((f) => [f.family, f.cases, f.withheldWords])).toEqual([
      ['fam-a', 2, 8],
      ['fam-b', 1, 4],
    ]);
    expect(formatHeldoutTable('glued', m)).toContain('drop 100.0%');
  });
});
