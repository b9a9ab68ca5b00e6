import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real server and the built web app, driven in headless Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    // Each server starts on a copy of one migrated data directory instead of migrating its own.
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time: a file's server, browser and runner spend much of it waiting on one
    // another, so a second file fills the idle core (4 files back to back on the shared machine:
    // 181 s before, 94 s with the migrated template and two at a time).
    // Each file has its own server, port, data directory and browser.
    maxWorkers: 2,
  },
});
