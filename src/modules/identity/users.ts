import { sql } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';
import { z } from 'zod';
import { bumpAuthzVersion } from './actor.js';
import type { IdentityTables } from './schema.js';
import { revokeAllSessions } from './sessions.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

/** A user as admins see them. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  roles: Array<{ id: string; key: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  mfaEnabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

async function present(
  tx: Tx,
  organizationId: string,
  rows: Array<{
    id: string;
    email: string;
    name: string;
    status: 'active' | 'disabled';
    mfa_enabled: boolean;
    last_login_at: Date | null;
    created_at: Date;
  }>,
): Promise<UserView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const roles = await db(tx)
    .selectFrom('user_roles')
    .innerJoin('roles', (j) =>
      j
        .onRef('roles.organization_id', '=', 'user_roles.organization_id')
        .onRef('roles.id', '=', 'user_roles.role_id'),
    )
    .select(['user_roles.user_id', 'roles.id', 'roles.key', 'roles.name'])
    .where('user_roles.organization_id', '=', organizationId)
    .where('user_roles.user_id', 'in', ids)
    .execute();
  const teams = await db(tx)
    .selectFrom('team_members')
    .innerJoin('teams', (j) =>
      j
        .onRef('teams.organization_id', '=', 'team_members.organization_id')
        .onRef('teams.id', '=', 'team_members.team_id'),
    )
    .select(['team_members.user_id', 'teams.id', 'teams.name'])
    .where('team_members.organization_id', '=', organizationId)
    .where('team_members.user_id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    status: r.status,
    roles: roles.filter((x) => x.user_id === r.id).map(({ id, key, name }) => ({ id, key, name })),
    teams: teams.filter((x) => x.user_id === r.id).map(({ id, name }) => ({ id, name })),
    mfaEnabled: r.mfa_enabled,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'status',
  'mfa_enabled',
  'last_login_at',
  'created_at',
] as const;
const CURSOR = z.tuple([z.string(), z.uuid()]);

/** Users of the organization by name, with `q` on name or email. */
export async function listUsers(
  ctx: Ctx,
  page: { limit: number; cursor?: string; q?: string; count: boolean },
) {
  authorize(ctx, 'users:read');
  const after = decodeCursor(page.cursor, CURSOR);
  if (page.cursor && !after) throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    let q = db(tx).selectFrom('users').where('organization_id', '=', ctx.organizationId);
    if (page.q)
      q = q.where(
        sql<boolean>`(lower(name) like ${`%${page.q.toLowerCase()}%`} or lower(email) like ${`%${page.q.toLowerCase()}%`})`,
      );
    const total = page.count
      ? Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
      : undefined;
    let rows = q.select([...USER_COLUMNS, sql<string>`lower(name)`.as('sort_name')]);
    if (after)
      rows = rows.where(sql<boolean>`(lower(name), id) > (${after[0]}, ${after[1]}::uuid)`);
    const found = await rows
      .orderBy(sql`lower(name)`)
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const visible = found.slice(0, page.limit);
    const last = visible[visible.length - 1];
    return {
      data: await present(tx, ctx.organizationId, visible),
      meta: {
        nextCursor:
          found.length > page.limit && last ? encodeCursor([last.sort_name, last.id]) : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

async function loadUser(ctx: Ctx, tx: Tx, id: string) {
  const row = await db(tx)
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('User');
  return row;
}

export async function getUser(ctx: Ctx, id: string): Promise<UserView> {
  authorize(ctx, 'users:read', { ownerId: id });
  return ctx.tx(
    async (tx) =>
      (await present(tx, ctx.organizationId, [await loadUser(ctx, tx, id)]))[0] as UserView,
  );
}

/** Ids of active users holding the admin role. */
async function activeAdmins(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await db(tx)
    .selectFrom('user_roles')
    .innerJoin('roles', (j) =>
      j
        .onRef('roles.organization_id', '=', 'user_roles.organization_id')
        .onRef('roles.id', '=', 'user_roles.role_id'),
    )
    .innerJoin('users', (j) =>
      j
        .onRef('users.organization_id', '=', 'user_roles.organization_id')
        .onRef('users.id', '=', 'user_roles.user_id'),
    )
    .select('users.id')
    .where('user_roles.organization_id', '=', organizationId)
    .where('roles.key', '=', 'admin')
    .where('users.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Changes a user's name, status or roles. The last active admin cannot be demoted or disabled. */
export async function updateUser(
  ctx: Ctx,
  id: string,
  input: { name?: string; status?: 'active' | 'disabled'; roleIds?: string[] },
): Promise<UserView> {
  return ctx.tx(async (tx) => {
    const before = (
      await present(tx, ctx.organizationId, [await loadUser(ctx, tx, id)])
    )[0] as UserView;
    authorize(ctx, 'users:update', { ownerId: id });
    if (input.roleIds) {
      const found = await db(tx)
        .selectFrom('roles')
        .select(['id', 'key'])
        .where('organization_id', '=', ctx.organizationId)
        .where(
          'id',
          'in',
          input.roleIds.length ? input.roleIds : ['00000000-0000-0000-0000-000000000000'],
        )
        .execute();
      const missing = input.roleIds.findIndex((r) => !found.some((f) => f.id === r));
      if (missing >= 0)
        throw unknownReferences([
          { path: `roleIds.${missing}`, message: unknownReferenceMessage('role') },
        ]);
      if (input.roleIds.length === 0)
        throw errors.validation([{ path: 'roleIds', message: 'a user needs at least one role' }]);
    }
    await db(tx)
      .updateTable('users')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    if (input.roleIds) {
      await db(tx)
        .deleteFrom('user_roles')
        .where('organization_id', '=', ctx.organizationId)
        .where('user_id', '=', id)
        .execute();
      await db(tx)
        .insertInto('user_roles')
        .values(
          [...new Set(input.roleIds)].map((role_id) => ({
            organization_id: ctx.organizationId,
            user_id: id,
            role_id,
          })),
        )
        .execute();
    }
    if ((await activeAdmins(tx, ctx.organizationId)).length === 0) {
      throw new DomainError(
        'rule_violated',
        'IDENTITY_LAST_ADMIN',
        'The organization must keep at least one active admin',
      );
    }
    if (input.status === 'disabled')
      await revokeAllSessions(ctx.deps, tx, ctx.organizationId, id, 'user disabled');
    const after = (
      await present(tx, ctx.organizationId, [await loadUser(ctx, tx, id)])
    )[0] as UserView;
    const diff = fieldDiff(
      { name: before.name, status: before.status, roles: before.roles.map((r) => r.key).sort() },
      { name: after.name, status: after.status, roles: after.roles.map((r) => r.key).sort() },
    );
    await ctx.audit(tx, { action: 'user.updated', targetType: 'user', targetId: id, diff });
    await ctx.emit(tx, {
      type: 'user.updated',
      aggregateType: 'user',
      aggregateId: id,
      payload: { userId: id, changes: diff },
    });
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
    return after;
  });
}
