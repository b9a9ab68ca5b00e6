export {
  buildApp,
  CSRF_COOKIE,
  type AppOptions,
  type Authenticate,
  type Authentication,
  type ReadinessCheck,
} from './app.js';
export {
  route,
  publicRoute,
  type RouteDef,
  type RoutePermission,
  type HttpMethod,
} from './route.js';
export * from './schemas.js';
export {
  collectionRoutes,
  parseIfMatch,
  type CollectionPermissions,
  type CollectionResource,
} from './collection-routes.js';
export { consumeRateLimit } from './rate-limit.js';
export { zodDetails } from './errors.js';
export { assertStorable } from './input-guard.js';
export { JsonText, jsonListText } from './json-text.js';
export { abortedByClient } from './abort.js';
