import { DomainError, errors } from '../errors/index.js';

/** How far a permission reaches: the actor's own records, their teams', or the whole organization. */
export type Scope = 'own' | 'team' | 'all';
export const SCOPES: readonly Scope[] = ['own', 'team', 'all'];
const SCOPE_RANK: Record<Scope, number> = { own: 1, team: 2, all: 3 };

/** One granted permission, e.g. `{ permission: 'contacts:update', scope: 'team' }`. */
export interface Grant {
  permission: string;
  scope: Scope;
}

/** Who is acting. Users and API keys carry grants resolved at authentication; the system has all. */
export interface Actor {
  type: 'user' | 'api_key' | 'system';
  /** The user id, the API key id, or a fixed id for the system. */
  id: string;
  /** The user behind the actor (the key's creator for API keys); null for the system. */
  userId: string | null;
  organizationId: string;
  /** Display name for audit entries. */
  name: string;
  /** Effective grants: permission → widest scope. */
  grants: ReadonlyMap<string, Scope>;
  /** Teams the user belongs to. */
  teamIds: readonly string[];
  /** Users whose records fall under "team" scope: members of the user's teams (the user included). */
  teamMemberIds: readonly string[];
  /** Which role granted each permission (for explanations). */
  grantSources: ReadonlyMap<string, string>;
  /** The login session (users only): revoking it ends this actor's access at once. */
  sessionId: string | null;
}

/** What authorization needs to know about a record. */
export interface OwnedRecord {
  ownerId: string | null;
  teamId?: string | null;
}

/** Merges grants from several roles, keeping the widest scope of each permission. */
export function mergeGrants(sources: ReadonlyArray<{ role: string; grants: readonly Grant[] }>) {
  const grants = new Map<string, Scope>();
  const grantSources = new Map<string, string>();
  for (const { role, grants: list } of sources) {
    for (const g of list) {
      const prior = grants.get(g.permission);
      if (!prior || SCOPE_RANK[g.scope] > SCOPE_RANK[prior]) {
        grants.set(g.permission, g.scope);
        grantSources.set(g.permission, role);
      }
    }
  }
  return { grants, grantSources };
}

/** Narrows a scope to at most `cap` (API key scopes cap their creator's grants). */
export const narrowerScope = (a: Scope, b: Scope): Scope =>
  SCOPE_RANK[a] <= SCOPE_RANK[b] ? a : b;

/** The outcome of a permission check, with the reason a person can read. */
export interface Decision {
  allowed: boolean;
  permission: string;
  scope: Scope | null;
  role: string | null;
  reason: string;
}

/** Decides whether `actor` may do `permission` on `record` (or at all, when no record is given). */
export function decide(actor: Actor, permission: string, record?: OwnedRecord): Decision {
  if (actor.type === 'system')
    return { allowed: true, permission, scope: 'all', role: 'system', reason: 'system actor' };
  const scope = actor.grants.get(permission) ?? null;
  const role = actor.grantSources.get(permission) ?? null;
  if (!scope)
    return { allowed: false, permission, scope, role, reason: `no role grants ${permission}` };
  if (!record || scope === 'all')
    return {
      allowed: true,
      permission,
      scope,
      role,
      reason: `${role ?? 'grant'} grants ${permission} on ${scope}`,
    };
  const ownerId = record.ownerId;
  if (ownerId !== null && ownerId === actor.userId)
    return { allowed: true, permission, scope, role, reason: 'the record is owned by the actor' };
  if (scope === 'team') {
    if (ownerId !== null && actor.teamMemberIds.includes(ownerId)) {
      return {
        allowed: true,
        permission,
        scope,
        role,
        reason: "the record is owned by a member of the actor's team",
      };
    }
    if (record.teamId && actor.teamIds.includes(record.teamId)) {
      return {
        allowed: true,
        permission,
        scope,
        role,
        reason: "the record belongs to the actor's team",
      };
    }
    return {
      allowed: false,
      permission,
      scope,
      role,
      reason: "team scope, and the record is outside the actor's teams",
    };
  }
  return {
    allowed: false,
    permission,
    scope,
    role,
    reason: 'own scope, and the record is owned by someone else',
  };
}

/** Whether `actor` holds `permission` at any scope. */
export const can = (actor: Actor, permission: string): boolean => decide(actor, permission).allowed;

/**
 * Throws unless `actor` may do `permission` (on `record`). A record the actor may not even read
 * answers 404 — indistinguishable from a missing one — so its existence never leaks; a readable
 * record the actor may not change answers 403.
 */
export function authorize(ctx: { actor: Actor }, permission: string, record?: OwnedRecord): void {
  const d = decide(ctx.actor, permission, record);
  if (d.allowed) return;
  if (record) {
    const resource = permission.split(':')[0] ?? '';
    const readable = decide(ctx.actor, `${resource}:read`, record).allowed;
    if (!readable) throw errors.notFound();
  }
  throw new DomainError('forbidden', 'FORBIDDEN', `You do not have permission (${permission})`, {
    details: { permission },
  });
}

/**
 * Throws unless `actor` holds `permission` for the whole organization. Webhooks, workflows, jobs
 * and the audit log act on or show every record of the organization, so they have no owner a
 * narrower scope could stand for: a grant on `own` or `team` records is not enough for them.
 */
export function authorizeOrganizationWide(ctx: { actor: Actor }, permission: string): void {
  const d = decide(ctx.actor, permission);
  if (d.allowed && d.scope === 'all') return;
  const message = d.allowed
    ? `${permission} is granted on ${d.scope ?? 'some'} records only; this needs it for the whole organization`
    : `You do not have permission (${permission})`;
  throw new DomainError('forbidden', 'FORBIDDEN', message, {
    details: { permission, scope: 'all' },
  });
}

/** The owner filter a list query applies: everything, or only records owned by these users. */
export type OwnerFilter =
  { kind: 'all' } | { kind: 'owners'; userIds: readonly string[] } | { kind: 'none' };

export function ownerFilter(actor: Actor, permission: string): OwnerFilter {
  if (actor.type === 'system') return { kind: 'all' };
  const scope = actor.grants.get(permission);
  if (!scope) return { kind: 'none' };
  if (scope === 'all') return { kind: 'all' };
  if (scope === 'team') return { kind: 'owners', userIds: actor.teamMemberIds };
  return { kind: 'owners', userIds: actor.userId ? [actor.userId] : [] };
}

export {
  DEFAULT_ROLE_KEYS,
  defaultRoles,
  grantsOver,
  permissionsOf,
  type DefaultGrants,
  type DefaultRoleKey,
  type PermissionCatalog,
  type PermissionEntry,
  type RoleTemplate,
} from './catalog.js';
