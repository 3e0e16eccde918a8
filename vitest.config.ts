import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' as const };

// The integration files that read collections: run again with every sandbox collection paged one item at a time.
const COLLECTION_READERS = ['test/integration/{read-tools,never-send,audit-writes,auth-service-principal,shared-mailboxes,group-conversations}.test.ts', 'test/integration/drafts-*.test.ts', 'test/integration/send-*.test.ts'];

export default defineConfig({
  test: {
    projects: [
      // Everything, with the SDK's default (2025-11-25) in-process clients.
      { test: { ...shared, name: 'all', include: ['test/**/*.test.ts'] } },
      {
        // The collection readers once more as 2026-07-28 clients, with every sandbox collection (expanded ones
        // included) paged one item at a time, so a read that takes only the first page fails.
        test: { ...shared, name: 'paged-2026', include: COLLECTION_READERS, env: { OUTLOOK_SANDBOX_PAGE_SIZE: '1', OUTLOOK_TEST_ERA: 'modern' } },
      },
      {
        // The rest of the integration suite once more as 2026-07-28 clients (sign-in and the fake's own HTTP tests
        // read no collection, so paging changes nothing there).
        test: { ...shared, name: 'rest-2026', include: ['test/integration/*.test.ts'], exclude: COLLECTION_READERS, env: { OUTLOOK_TEST_ERA: 'modern' } },
      },
    ],
  },
});
