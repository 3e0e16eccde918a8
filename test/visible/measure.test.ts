import { describe, expect, it } from 'vitest';
import { disagreements, readVerdicts, toVerdict, words } from './corpus.js';
import { lostWords, measure } from './measure.js';

describe('word normalisation', () => {
  it('folds case and compatibility forms, and splits on everything but letters, digits and marks', () => {
    expect(words('Ｈｅｌｌｏ, WORLD! ﬁne 1,284.60 naïve')).toEqual(['hello', 'world', 'fine', '1', '284', '60', 'naïve']);
  });

  it('removes default-ignorable characters instead of splitting on them', () => {
    expect(words('pass\u200Bword soft\u00ADhyphen \u034F\u034F zw\u200Dj')).toEqual(['password', 'softhyphen', 'zwj']);
  });
});

describe('lost words', () => {
  it('counts a multiset: a word shown twice must appear twice', () => {
    expect(lostWords('pay now pay later', 'Pay later')).toEqual(['now', 'pay']);
    expect(lostWords('pay now', 'PAY NOW and more')).toEqual([]);
  });

  it('does not accept a word glued to its neighbour', () => {
    expect(lostWords('reset password', 'resetpassword')).toEqual(['reset', 'password']);
  });
});

describe('verdicts from judged words', () => {
  it('records intent and browser verdict per marker; any visible copy makes a marker visible', () => {
    const v = toVerdict([
      { w: 'VISx001a', v: true },
      { w: 'HIDx001b', v: false, r: 'no-box' },
      { w: 'HIDx001c', v: true },
      { w: 'VISx001d', v: false, r: 'clipped' },
      { w: 'VISx001d', v: true },
      { w: 'Hello', v: true },
    ]);
    expect(v.markers).toEqual({
      VISx001a: { intent: 'visible', browser: 'visible' },
      HIDx001b: { intent: 'hidden', browser: 'hidden', reason: 'no-box' },
      HIDx001c: { intent: 'hidden', browser: 'visible' },
      VISx001d: { intent: 'visible', browser: 'visible' },
    });
    expect(v.visible).toBe('visx001a hidx001c visx001d hello');
    expect(v.hidden).toBe('hidx001b visx001d');
  });

  it('lists the committed disagreements exactly', () => {
    const verdicts = readVerdicts();
    expect(verdicts.disagreements).toEqual(disagreements(verdicts.files));
  });
});

describe('measure', () => {
  const verdicts = {
    referee: 'test',
    viewport: '1280x900',
    disagreements: [],
    files: {
      'tricks/x/a.html': { markers: { HIDx001a: { intent: 'hidden', browser: 'hidden' }, VISx001b: { intent: 'visible', browser: 'visible' } }, visible: 'visx001b', hidden: 'hidx001a' },
      'mails/y/b.html': { markers: {}, visible: 'hello there', hidden: '' },
    },
  } as const;
  const html: Record<string, string> = { 'tricks/x/a.html': 'A', 'mails/y/b.html': 'B' };

  it('counts leaks, drops and lost mail words', () => {
    const out: Record<string, string> = { A: 'HIDx001a', B: 'hello' };
    const m = measure(structuredClone(verdicts) as never, (f) => html[f]!, (h) => out[h]!);
    expect([m.total.leaked, m.total.dropped, m.lostMailWords, m.leakRate, m.dropRate]).toEqual([1, 1, 1, 1, 1]);
    expect(m.lost).toEqual([{ file: 'tricks/x/a.html', words: ['visx001b'] }, { file: 'mails/y/b.html', words: ['there'] }]);
  });

  it('finds nothing wrong with a perfect converter', () => {
    const out: Record<string, string> = { A: 'VISx001b', B: 'Hello there.' };
    const m = measure(structuredClone(verdicts) as never, (f) => html[f]!, (h) => out[h]!);
    expect([m.total.leaked, m.total.dropped, m.lostMailWords]).toEqual([0, 0, 0]);
  });
});
