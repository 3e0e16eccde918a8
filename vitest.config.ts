import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'all', include: ['test/**/*.test.ts'] } },
      {
        // The integration suite once more with every sandbox collection paged one item at a time (expanded ones
        // included), so a read that takes only the first page fails. Sign-in and the fake's own HTTP tests read no collection.
        test: {
          ...shared,
          name: 'paged',
          include: ['test/integration/{read-tools,never-send,audit-writes,auth-service-principal}.test.ts', 'test/integration/drafts-*.test.ts', 'test/integration/send-*.test.ts'],
          env: { OUTLOOK_SANDBOX_PAGE_SIZE: '1' },
        },
      },
    ],
  },
});
