// Placeholder public API of the identity module; the real implementation replaces it.
import type { Deps } from '../../platform/context/index.js';
import type { Authenticate, RouteDef } from '../../platform/http/index.js';
import type { Consumer } from '../../platform/outbox/index.js';

export const identityRoutes: RouteDef[] = [];
export const identityConsumers: Consumer[] = [];
export const authenticate: Authenticate = async () => null;

/** Creates an organization with its default roles and its first (admin) user. */
export async function bootstrapOrganization(
  _deps: Deps,
  _input: { organizationName: string; email: string; name: string; password: string },
): Promise<{ organizationId: string; userId: string }> {
  throw new Error('identity module not built yet');
}

/** Every organization (system scope), oldest first. */
export async function listOrganizations(_deps: Deps): Promise<Array<{ id: string; name: string; slug: string }>> {
  return [];
}

/** Creates a user in an organization (the only one when no slug is given) with one role. */
export async function createUserInOrganization(
  _deps: Deps,
  _input: { organizationSlug?: string; email: string; name: string; password: string; roleKey: string },
): Promise<{ organizationId: string; userId: string }> {
  throw new Error('identity module not built yet');
}
