import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real server and the built web app, driven in headless Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
