/**
 * The context-economy targets of the task benchmark (bench/tasks.mjs, run by
 * `npm run bench`), held as a test so a change that makes rows or tasks more
 * expensive fails CI: calendar rows ≤ 60 tokens, the drafts tools/list ≤ 4,500
 * tokens, every agent task ≥ 10× under the generic passthrough. Requires
 * `npm run build` (the benchmark drives dist/).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
// @ts-expect-error: a plain .mjs benchmark module without typings.
import { runTaskBench } from '../../bench/tasks.mjs';

interface TaskRow {
  name: string;
  skipped?: string;
  calls: number;
  graphRequests: number;
  tokens: number;
  same: number;
  generic: number;
  genericRatio: number;
}
interface ListRow {
  name: string;
  rows: number;
  text: number;
}

const dist = (p: string) => path.resolve('dist', p);

describe('task benchmark budgets', () => {
  it('keeps list rows, the drafts tools/list and every agent task within budget', { timeout: 120_000 }, async () => {
    const r = (await runTaskBench(dist)) as { tasks: TaskRow[]; lists: { rows: ListRow[]; toolsListTokens: number } };
    const events = r.lists.rows.filter((l) => l.name === 'ol_calendar_list_events' || l.name === 'ol_calendar_search');
    expect(events.map((l) => l.name).sort()).toEqual(['ol_calendar_list_events', 'ol_calendar_search']);
    for (const l of events) {
      expect(l.rows, l.name).toBeGreaterThan(10);
      expect(l.text, l.name).toBeLessThanOrEqual(60);
    }
    expect(r.lists.toolsListTokens).toBeLessThanOrEqual(4500);
    expect(r.tasks).toHaveLength(5);
    for (const t of r.tasks) {
      expect(t.skipped, t.name).toBeUndefined();
      expect(t.graphRequests, t.name).toBeGreaterThan(0);
      expect(t.same, t.name).toBeGreaterThan(t.tokens);
      expect(t.genericRatio, t.name).toBeGreaterThanOrEqual(10);
    }
  });
});
