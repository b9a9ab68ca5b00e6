import {
  mergeGrants,
  narrowerScope,
  type Actor,
  type Grant,
  type Scope,
} from '../../platform/authz/index.js';
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
  await deps.cache.set(
    versionKey(organizationId),
    String(Date.now()) + Math.random().toString(36).slice(2, 6),
    86_400,
  );
}

/**
 * Caches a per-user value until the organization's authorization version changes (any role,
 * team, membership or user change bumps it) or `ttl` seconds pass — whichever comes first.
 */
export async function cachedPerUser<T>(
  deps: Deps,
  organizationId: string,
  userId: string,
  name: string,
  ttl: number,
  load: () => Promise<T>,
): Promise<T> {
  const version = (await deps.cache.get(versionKey(organizationId))) ?? '0';
  const key = `${name}:${organizationId}:${userId}:${version}`;
  const hit = await deps.cache.get(key);
  if (hit) {
    // Every authenticated request reads these: parse each cached string once per process.
    const known = parsed.get(key);
    if (known?.raw === hit) return known.value as T;
    const value = JSON.parse(hit) as T;
    remember(key, hit, value);
    return value;
  }
  const value = await load();
  const raw = JSON.stringify(value);
  await deps.cache.set(key, raw, ttl);
  remember(key, raw, value);
  return value;
}

const parsed = new Map<string, { raw: string; value: unknown }>();
function remember(key: string, raw: string, value: unknown): void {
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(key, { raw, value });
}

/** The Maps an Actor holds, built once per cached value (the value object is shared). */
const built = new WeakMap<
  CachedActor,
  { grants: Map<string, Scope>; sources: Map<string, string> }
>();

/** Loads a user's roles and teams into the grants authorization works with. */
export async function loadUserAccess(
  tx: Tx,
  organizationId: string,
  userId: string,
): Promise<CachedActor | null> {
  const user = await db(tx)
    .selectFrom('users')
    .select(['name', 'status'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const roles = await db(tx)
    .selectFrom('user_roles')
    .innerJoin('roles', (j) =>
      j
        .onRef('roles.organization_id', '=', 'user_roles.organization_id')
        .onRef('roles.id', '=', 'user_roles.role_id'),
    )
    .select(['roles.key', 'roles.permissions'])
    .where('user_roles.organization_id', '=', organizationId)
    .where('user_roles.user_id', '=', userId)
    .execute();
  const teams = await db(tx)
    .selectFrom('team_members')
    .select('team_id')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .execute();
  const teamIds = teams.map((t) => t.team_id);
  const mates = teamIds.length
    ? await db(tx)
        .selectFrom('team_members')
        .select('user_id')
        .distinct()
        .where('organization_id', '=', organizationId)
        .where('team_id', 'in', teamIds)
        .execute()
    : [];
  const { grants, grantSources } = mergeGrants(
    roles.map((r) => ({ role: r.key, grants: r.permissions })),
  );
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
export async function userActor(
  deps: Deps,
  organizationId: string,
  userId: string,
  sessionId: string | null,
): Promise<Actor | null> {
  const access = await cachedPerUser(deps, organizationId, userId, 'actor', ACTOR_TTL, () =>
    withTenant(deps.database.db, organizationId, (tx) =>
      loadUserAccess(tx, organizationId, userId),
    ),
  );
  if (!access || access.status !== 'active') return null;
  let maps = built.get(access);
  if (!maps) {
    maps = { grants: new Map(access.grants), sources: new Map(access.sources) };
    built.set(access, maps);
  }
  return {
    type: 'user',
    id: userId,
    userId,
    organizationId,
    name: access.name,
    grants: maps.grants,
    grantSources: maps.sources,
    teamIds: access.teamIds,
    teamMemberIds: access.teamMemberIds,
    sessionId,
  };
}

/** An API key acts as its creator, narrowed to the key's scopes. */
export function apiKeyActor(
  creator: Actor,
  key: { id: string; name: string; scopes: readonly string[] },
): Actor {
  const grants = new Map<string, Scope>();
  for (const permission of key.scopes) {
    const scope = creator.grants.get(permission);
    if (scope) grants.set(permission, narrowerScope(scope, 'all'));
  }
  return {
    ...creator,
    type: 'api_key',
    id: key.id,
    name: `API key ${key.name}`,
    grants,
    sessionId: null,
  };
}

const lists = new WeakMap<ReadonlyMap<string, Scope>, Grant[]>();

/** Grants as the API shows them (memoized per grants Map, which cached actors share). */
export function grantList(actor: Actor): Grant[] {
  let list = lists.get(actor.grants);
  if (!list) {
    list = [...actor.grants]
      .map(([permission, scope]) => ({ permission, scope }))
      .sort((a, b) => a.permission.localeCompare(b.permission));
    lists.set(actor.grants, list);
  }
  return list;
}
