import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDraftDemo } from '../../src/drafts/demo.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';
import { startDraftsHarness, type DraftsHarness } from '../helpers/drafts-harness.js';

describe('draft demo steps', () => {
  let h: DraftsHarness;
  beforeAll(async () => {
    h = await startDraftsHarness({ sandbox: { now: new Date('2026-11-27T12:00:00Z') } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('draft a reply and a meeting, and report zero notifications', async () => {
    const lines: string[] = [];
    const failures: string[] = [];
    await runDraftDemo(
      async (_title, name, args) => {
        const r = await h.call(name, args);
        if (r.isError) failures.push(name);
        return r;
      },
      (s) => lines.push(s),
      h.sandbox,
      SEED_IDS.threadWithHistory,
      '2026-12-01',
    );
    expect(failures).toEqual([]);
    expect(lines.join('')).toMatch(/made 3 writes \(POST \/messages\/\{id\}\/createReplyAll, PATCH \/messages\/\{id\}, POST \/events\)/);
    expect(lines.join('')).toContain('recorded 0 notifications');
  });
});
