import { LRUCache } from 'lru-cache';
import {
  mergeGrants,
  narrowerScope,
  type Actor,
  type Grant,
  type Scope,
} from '../../platform/authz/index.js';
import type { Deps } from '../../platform/context/index.js';
import { onCommit, withTenant, type Tx } from '../../platform/db/index.js';
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

/** The key under which an organization's authorization version is kept in the shared cache. */
export const authzVersionKey = versionKey;

/**
 * Invalidates every cached actor, principal and profile of an organization (after a role, team,
 * membership, user, MFA or API-key change). Given the open transaction, it bumps again once that
 * commits: a request that reloads between the first bump and the commit still reads the old
 * rows, and must not keep them under the new version.
 */
export async function bumpAuthzVersion(deps: Deps, organizationId: string, tx?: Tx): Promise<void> {
  const bump = () =>
    deps.cache.set(
      versionKey(organizationId),
      String(Date.now()) + Math.random().toString(36).slice(2, 6),
      86_400,
    );
  await bump();
  if (tx) onCommit(tx, () => void bump().catch(() => undefined));
}

/** Values this process keeps itself (no cache round trip), per app: bounded and short-lived. */
const local = new WeakMap<Deps, LRUCache<string, { value: unknown }>>();
const LOCAL_MAX = 10_000;
function localOf(deps: Deps): LRUCache<string, { value: unknown }> {
  let lru = local.get(deps);
  if (!lru) {
    lru = new LRUCache({ max: LOCAL_MAX, ttl: ACTOR_TTL * 1000 });
    local.set(deps, lru);
  }
  return lru;
}

/**
 * Caches a per-user value until the organization's authorization version changes (any role,
 * team, membership or user change bumps it) or `ttl` seconds pass — whichever comes first. The
 * value is kept in this process too, under the same versioned key, so a caller that already read
 * the version (`version`, e.g. the one the request was authenticated against) pays no round trip.
 */
export async function cachedPerUser<T>(
  deps: Deps,
  organizationId: string,
  userId: string,
  name: string,
  ttl: number,
  load: () => Promise<T>,
  version?: string,
): Promise<T> {
  const v = version ?? (await deps.cache.get(versionKey(organizationId))) ?? '0';
  const key = `${name}:${organizationId}:${userId}:${v}`;
  const mine = localOf(deps);
  const known = mine.get(key);
  if (known !== undefined) return known.value as T;
  const hit = await deps.cache.get(key);
  if (hit) {
    const value = JSON.parse(hit) as T;
    mine.set(key, { value }, { ttl: Math.min(ttl, ACTOR_TTL) * 1000 });
    return value;
  }
  const value = await load();
  await deps.cache.set(key, JSON.stringify(value), ttl);
  mine.set(key, { value }, { ttl: Math.min(ttl, ACTOR_TTL) * 1000 });
  return value;
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
  version?: string,
): Promise<Actor | null> {
  const access = await cachedPerUser(
    deps,
    organizationId,
    userId,
    'actor',
    ACTOR_TTL,
    () =>
      withTenant(deps.database.db, organizationId, (tx) =>
        loadUserAccess(tx, organizationId, userId),
      ),
    version,
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
