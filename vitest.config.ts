import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Two test files at a time. Vitest's default on a 2-core machine is one (CPUs - 1), but most of the suite waits
// on child processes (servers, Chromium, LibreOffice, redis-server, haproxy), so a second file in flight uses the
// time the first one spends waiting. OUTLOOK_TEST_WORKERS overrides it (1 = one file at a time).
const maxWorkers = Number(process.env.OUTLOOK_TEST_WORKERS) || 2;
const shared = { testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' as const };

// The integration files that read collections: run again with every sandbox collection paged one item at a time.
const COLLECTION_READERS = ['test/integration/{read-tools,never-send,audit-writes,auth-service-principal,shared-mailboxes,group-conversations}.test.ts', 'test/integration/drafts-*.test.ts', 'test/integration/send-*.test.ts'];

// The other integration files run again as 2026-07-28 clients only when their MCP clients come from the harness
// (test/helpers/harness.ts, which reads OUTLOOK_TEST_ERA, directly or through the drafts/apps/remote harnesses).
// A file that drives the CLI, the keyring or the fake's own HTTP has no era, and a second run would test nothing new.
const ERA_HARNESS = /helpers\/(harness|drafts-harness|apps-harness|remote-harness)\.js/;
const ERA_FREE = readdirSync('test/integration')
  .filter((f) => f.endsWith('.test.ts') && !ERA_HARNESS.test(readFileSync(`test/integration/${f}`, 'utf8')))
  .map((f) => `test/integration/${f}`);

// The second Node line of CI (.ci/run sets OUTLOOK_TEST_PASS=node-line for it) runs the tests whose outcome can
// depend on the Node line: every unit test, the state engines (LMDB's native binary, node-redis), the document readers
// (pdf.js, the worker), the hostile-Graph tests, and the end-to-end tests of the built binary (stdio on both eras, the
// SDK clients, Inspector, the Python SDK, the conformance suite, remote HTTP, the browser renderer killed mid-read).
// The in-process integration suite, the replica cluster, the review card and the corpora run on the first line only:
// they test our logic, the protocol and Graph's paging, not the Node line. Packing the npm package and the .mcpb
// (test/e2e/{package,mcpb}) is done once too.
const nodeLinePass = process.env.OUTLOOK_TEST_PASS === 'node-line';
const NODE_LINE = { include: ['test/{unit,state,documents,hostile,e2e}/**/*.test.ts'], exclude: ['test/e2e/{package,mcpb}.test.ts'] };

export default defineConfig({
  test: {
    maxWorkers,
    projects: [
      // Everything, with the SDK's default (2025-11-25) in-process clients.
      { test: { ...shared, name: 'all', ...(nodeLinePass ? NODE_LINE : { include: ['test/**/*.test.ts'] }) } },
      ...(nodeLinePass
        ? []
        : [
            {
              // The collection readers once more as 2026-07-28 clients, with every sandbox collection (expanded ones
              // included) paged one item at a time, so a read that takes only the first page fails.
              test: { ...shared, name: 'paged-2026', include: COLLECTION_READERS, env: { OUTLOOK_SANDBOX_PAGE_SIZE: '1', OUTLOOK_TEST_ERA: 'modern' } },
            },
            {
              // The rest of the integration suite once more as 2026-07-28 clients (sign-in and the fake's own HTTP
              // tests read no collection, so paging changes nothing there).
              test: { ...shared, name: 'rest-2026', include: ['test/integration/*.test.ts'], exclude: [...COLLECTION_READERS, ...ERA_FREE], env: { OUTLOOK_TEST_ERA: 'modern' } },
            },
          ]),
    ],
  },
});
