import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The same integration suite against the scaled-out services. `.ci/run` sets TEST_DATABASE_URL,
 * TEST_REDIS_URL and TEST_AMQP_URL; the harness then clones a migrated PostgreSQL template
 * database per test file, uses Redis for the cache and WebSocket fan-out, and sends events through
 * RabbitMQ on exchanges and queues of each test app's own. Tests that only concern the embedded
 * database are left out.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        'src/platform/db/durability.test.ts',
        'src/platform/db/first-start.test.ts',
        'src/platform/crypto/**',
        'src/platform/config/**',
        'src/platform/authz/**',
        // The web app's pure helpers touch no service.
        'web/**',
      ],
    },
  }),
);
