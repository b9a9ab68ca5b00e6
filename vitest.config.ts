import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Test files share their worker's module graph instead of each loading the whole server
    // again (that import was ~45% of the run). It is safe because every file builds its own app,
    // database and adapters (test/harness.ts), and no test mocks modules, timers, env or globals.
    isolate: false,
  },
});
