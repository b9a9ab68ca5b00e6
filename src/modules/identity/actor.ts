import { mergeGrants, narrowerScope, type Actor, type Grant, type Scope } from '../../platform/authz/index.js';
import type { Deps } from '../../platform/context/index.js';
import { withTenant, type Tx } from '../../platform/db/index.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();
/** Resolved grants are cached briefly; any role, team or membership change bumps the version. */
const ACTOR_TTL = 30;

interface CachedActor {
  name: string;
  status: string;
  grants: Array<[string, Scope]>;
  sources: Array<[string, string]>;
  teamIds: string[];
  teamMemberIds: string[];
}

const versionKey = (org: string) => `authz-version:${org}`;

/** Invalidates every cached actor of an organization (after a role, team or membership change). */
export async function bumpAuthzVersion(deps: Deps, organizationId: string): Promise<void> {
  await deps.cache.set(versionKey(organizationId), String(Date.now()) + Math.random().toString(36).slice(2, 6), 86_400);
}

/** Loads a user's roles and teams into the grants authorization works with. */
export async function loadUserAccess(tx: Tx, organizationId: string, userId: string): Promise<CachedActor | null> {
  const user = await db(tx).selectFrom('users').select(['name', 'status']).where('organization_id', '=', organizationId).where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const roles = await db(tx)
    .selectFrom('user_roles')
    .innerJoin('roles', (j) => j.onRef('roles.organization_id', '=', 'user_roles.organization_id').onRef('roles.id', '=', 'user_roles.role_id'))
    .select(['roles.key', 'roles.permissions'])
    .where('user_roles.organization_id', '=', organizationId)
    .where('user_roles.user_id', '=', userId)
    .execute();
  const teams = await db(tx).selectFrom('team_members').select('team_id').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
  const teamIds = teams.map((t) => t.team_id);
  const mates = teamIds.length
    ? await db(tx).selectFrom('team_members').select('user_id').distinct().where('organization_id', '=', organizationId).where('team_id', 'in', teamIds).execute()
    : [];
  const { grants, grantSources } = mergeGrants(roles.map((r) => ({ role: r.key, grants: r.permissions })));
  return {
    name: user.name,
    status: user.status,
    grants: [...grants],
    sources: [...grantSources],
    teamIds,
    teamMemberIds: [...new Set([userId, ...mates.map((m) => m.user_id)])],
  };
}

/** The actor of a signed-in user, from the cache when fresh; null when the user is gone or disabled. */
export async function userActor(deps: Deps, organizationId: string, userId: string, sessionId: string | null): Promise<Actor | null> {
  const version = (await deps.cache.get(versionKey(organizationId))) ?? '0';
  const key = `actor:${organizationId}:${userId}:${version}`;
  const cached = await deps.cache.get(key);
  const access = cached ? (JSON.parse(cached) as CachedActor) : await withTenant(deps.database.db, organizationId, (tx) => loadUserAccess(tx, organizationId, userId));
  if (!cached && access) await deps.cache.set(key, JSON.stringify(access), ACTOR_TTL);
  if (!access || access.status !== 'active') return null;
  return {
    type: 'user',
    id: userId,
    userId,
    organizationId,
    name: access.name,
    grants: new Map(access.grants),
    grantSources: new Map(access.sources),
    teamIds: access.teamIds,
    teamMemberIds: access.teamMemberIds,
    sessionId,
  };
}

/** An API key acts as its creator, narrowed to the key's scopes. */
export function apiKeyActor(creator: Actor, key: { id: string; name: string; scopes: readonly string[] }): Actor {
  const grants = new Map<string, Scope>();
  for (const permission of key.scopes) {
    const scope = creator.grants.get(permission);
    if (scope) grants.set(permission, narrowerScope(scope, 'all'));
  }
  return { ...creator, type: 'api_key', id: key.id, name: `API key ${key.name}`, grants, sessionId: null };
}

/** Grants as the API shows them. */
export const grantList = (actor: Actor): Grant[] => [...actor.grants].map(([permission, scope]) => ({ permission, scope })).sort((a, b) => a.permission.localeCompare(b.permission));
