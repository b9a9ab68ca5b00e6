import type { RouteDef } from '../platform/http/index.js';
import type { Consumer } from '../platform/outbox/index.js';
import { identityConsumers, identityRoutes } from './identity/index.js';
import { recordsRoutes } from './records/index.js';

/** One line per module: its routes and its event consumers. */
interface ModuleEntry {
  name: string;
  routes: readonly RouteDef[];
  consumers: readonly Consumer[];
}

export const MODULES: readonly ModuleEntry[] = [
  { name: 'identity', routes: identityRoutes, consumers: identityConsumers },
  { name: 'records', routes: recordsRoutes, consumers: [] },
];

export const ALL_ROUTES: readonly RouteDef[] = MODULES.flatMap((m) => m.routes);
export const ALL_CONSUMERS: readonly Consumer[] = MODULES.flatMap((m) => m.consumers);
