/**
 * Re-judges every held-out case in headless Chromium with the pixel referee and checks the result
 * against the committed verdicts (verdicts.json). With UPDATE_HELDOUT_VERDICTS=1 it rewrites them.
 *
 * Needs the system Chromium. Without it the suite is skipped with a notice on a developer machine
 * and fails under CI=true, so CI never passes without a browser.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELDOUT_VERDICTS_PATH, heldoutDisagreements, listCases, readCase, readHeldoutVerdicts, toCaseVerdict, type CaseVerdict, type HeldoutVerdicts } from './heldout.js';
import { CHROMIUM_PATH, chromiumAvailable, launchPixelReferee, MIN_CHANGED_PIXELS, MIN_CHANNEL_DELTA, MIN_GLYPH_HEIGHT, VIEWPORT, type PixelReferee } from './referee.js';

const UPDATE = process.env.UPDATE_HELDOUT_VERDICTS === '1';
const available = chromiumAvailable();
const required = ['true', '1'].includes(process.env.CI ?? '');

if (!available && required) {
  throw new Error(
    `The held-out corpus referee needs Chromium at ${CHROMIUM_PATH} and CI=true forbids skipping it. Install it with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-dejavu-extra`,
  );
}
if (!available) {
  console.warn(`[visible-heldout] Chromium not found at ${CHROMIUM_PATH}: held-out verdicts not re-judged (CI fails instead of skipping).`);
}

/** The pixel rule, recorded in the verdicts so a change of rule shows in their diff. */
export const RULE = `painted: >= ${MIN_CHANGED_PIXELS} px changed by >= ${MIN_CHANNEL_DELTA}/255 when the word is made visibility:hidden; box >= ${MIN_GLYPH_HEIGHT} px high; reachable by scrolling the document`;

describe.skipIf(!available)('pixel referee agrees with the committed held-out verdicts', () => {
  let referee: PixelReferee;
  const judged: Record<string, CaseVerdict> = {};
  const files = listCases();

  beforeAll(async () => {
    referee = await launchPixelReferee(2);
    const started = Date.now();
    await Promise.all(files.map(async (file) => {
      judged[file] = toCaseVerdict(await referee.judge(readCase(file)));
    }));
    console.log(`[visible-heldout] judged ${files.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s with ${referee.version}`);
    if (UPDATE) {
      const cases = Object.fromEntries(files.map((f) => [f, judged[f]!]));
      const out: HeldoutVerdicts = { referee: referee.version, viewport: `${VIEWPORT.width}x${VIEWPORT.height}`, rule: RULE, cases, disagreements: heldoutDisagreements(cases) };
      writeFileSync(HELDOUT_VERDICTS_PATH, `${JSON.stringify(out, null, 1)}\n`);
    }
  }, 600_000);

  afterAll(async () => {
    await referee?.close();
  });

  it('tells painted words from words a reader cannot see (its own controls)', async () => {
    const controls = await referee.judge(
      '<body style="background:#fff"><p>VISq9000a</p><p style="color:#fefefe">HIDq9000b</p>' +
        '<div style="position:relative"><p>HIDq9000c</p><div style="position:absolute;inset:0;background:#fff"></div></div>' +
        '<p style="margin-left:-3000px">HIDq9000d</p><p style="font-size:4px">HIDq9000e</p><p title="HIDq9000f">VISq9000g</p>' +
        '<div style="height:2000px"></div><p style="color:#777">VISq9000h</p></body>',
    );
    expect(Object.fromEntries(Object.entries(controls).map(([w, j]) => [w, j.reason ?? j.browser]))).toEqual({
      VISq9000a: 'visible',
      HIDq9000b: 'not-painted',
      HIDq9000c: 'not-painted',
      HIDq9000d: 'off-page',
      HIDq9000e: 'too-small',
      HIDq9000f: 'not-rendered',
      VISq9000g: 'visible',
      VISq9000h: 'visible',
    });
  });

  it('covers exactly the case files, under the same rule', () => {
    const committed = readHeldoutVerdicts();
    expect(Object.keys(committed.cases).sort()).toEqual(files);
    expect(committed.rule).toBe(RULE);
  });

  it('no probe changed the layout of the word it judged', () => {
    const shifted = Object.entries(judged).flatMap(([file, v]) => Object.entries(v).filter(([, m]) => m.shifted).map(([marker]) => `${file}: ${marker}`));
    expect(shifted).toEqual([]);
  });

  it.each(files)('%s', (file) => {
    expect(judged[file]).toEqual(readHeldoutVerdicts().cases[file]);
  });
});
