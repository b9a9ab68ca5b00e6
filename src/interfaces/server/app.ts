import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_ROUTES } from '../../modules/index.js';
import { authenticate } from '../../modules/identity/index.js';
import type { Deps } from '../../platform/context/index.js';
import { buildApp } from '../../platform/http/index.js';
import { sql } from '../../platform/db/index.js';
import { registerRealtime } from './realtime-ws.js';

/** Where `npm run build` puts the web app. */
export const WEB_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../web/dist',
);

/** The whole HTTP surface of Cerebro over the given adapters. */
export async function createHttpApp(
  deps: Deps,
  options: { logRequests?: boolean; webDist?: string | null } = {},
) {
  const built = await buildApp({
    deps,
    routes: ALL_ROUTES,
    authenticate,
    webDist: options.webDist === null ? undefined : (options.webDist ?? WEB_DIST),
    logRequests: options.logRequests ?? true,
    readiness: [
      {
        name: 'database',
        check: async () =>
          (await sql<{ ok: number }>`select 1 as ok`.execute(deps.database.db)).rows[0]?.ok === 1,
      },
      { name: 'cache', check: () => deps.cache.ping() },
    ],
  });
  await registerRealtime(built.app, deps, authenticate);
  return built;
}
