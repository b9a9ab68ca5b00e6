import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize, type Grant } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { bumpAuthzVersion } from './actor.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

export interface RoleView {
  id: string;
  key: string;
  name: string;
  description: string;
  isSystem: boolean;
  permissions: Grant[];
  userCount: number;
}

export interface RoleInput {
  key?: string;
  name?: string;
  description?: string;
  permissions?: Grant[];
}

function checkPermissions(ctx: Ctx, permissions: Grant[] | undefined): void {
  if (!permissions) return;
  const known = ctx.deps.modules.allPermissions;
  const problems = permissions.flatMap((g, i) =>
    known.includes(g.permission)
      ? []
      : [{ path: `permissions.${i}.permission`, message: `unknown permission ${g.permission}` }],
  );
  if (problems.length) throw errors.validation(problems);
}

/** One grant per permission, the widest scope winning. */
const dedupe = (permissions: Grant[]): Grant[] => {
  const rank = { own: 1, team: 2, all: 3 } as const;
  const map = new Map<string, Grant>();
  for (const g of permissions)
    if (!map.has(g.permission) || rank[g.scope] > rank[map.get(g.permission)?.scope ?? 'own'])
      map.set(g.permission, g);
  return [...map.values()].sort((a, b) => a.permission.localeCompare(b.permission));
};

async function listRoleRows(tx: Tx, organizationId: string, id?: string): Promise<RoleView[]> {
  let q = db(tx)
    .selectFrom('roles')
    .leftJoin('user_roles', (j) =>
      j
        .onRef('user_roles.organization_id', '=', 'roles.organization_id')
        .onRef('user_roles.role_id', '=', 'roles.id'),
    )
    .select([
      'roles.id',
      'roles.key',
      'roles.name',
      'roles.description',
      'roles.is_system',
      'roles.permissions',
      sql<number>`count(user_roles.user_id)::int`.as('user_count'),
    ])
    .where('roles.organization_id', '=', organizationId)
    .groupBy(['roles.organization_id', 'roles.id']);
  if (id) q = q.where('roles.id', '=', id);
  const rows = await q.orderBy('roles.is_system', 'desc').orderBy('roles.name').execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    isSystem: r.is_system,
    permissions: r.permissions,
    userCount: Number(r.user_count),
  }));
}

export async function listRoles(ctx: Ctx): Promise<RoleView[]> {
  authorize(ctx, 'roles:read');
  return ctx.tx((tx) => listRoleRows(tx, ctx.organizationId));
}

export async function getRole(ctx: Ctx, id: string): Promise<RoleView> {
  authorize(ctx, 'roles:read');
  const [role] = await ctx.tx((tx) => listRoleRows(tx, ctx.organizationId, id));
  if (!role) throw errors.notFound('Role');
  return role;
}

export async function createRole(
  ctx: Ctx,
  input: Required<Pick<RoleInput, 'key' | 'name' | 'permissions'>> & RoleInput,
): Promise<RoleView> {
  authorize(ctx, 'roles:create');
  checkPermissions(ctx, input.permissions);
  return ctx.tx(async (tx) => {
    const exists = await db(tx)
      .selectFrom('roles')
      .select('id')
      .where('organization_id', '=', ctx.organizationId)
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (exists)
      throw errors.conflict('IDENTITY_ROLE_KEY_TAKEN', `A role with key ${input.key} exists`, {
        path: 'key',
      });
    const id = uuidv7();
    await db(tx)
      .insertInto('roles')
      .values({
        organization_id: ctx.organizationId,
        id,
        key: input.key,
        name: input.name,
        description: input.description ?? '',
        permissions: JSON.stringify(dedupe(input.permissions)),
      })
      .execute();
    await ctx.audit(tx, {
      action: 'role.created',
      targetType: 'role',
      targetId: id,
      diff: {
        key: { from: null, to: input.key },
        permissions: { from: null, to: dedupe(input.permissions) },
      },
    });
    const [role] = await listRoleRows(tx, ctx.organizationId, id);
    return role as RoleView;
  });
}

export async function updateRole(ctx: Ctx, id: string, input: RoleInput): Promise<RoleView> {
  authorize(ctx, 'roles:update');
  checkPermissions(ctx, input.permissions);
  return ctx.tx(async (tx) => {
    const [before] = await listRoleRows(tx, ctx.organizationId, id);
    if (!before) throw errors.notFound('Role');
    // Admins keep every permission: otherwise an organization could lock itself out.
    if (
      before.key === 'admin' &&
      input.permissions &&
      dedupe(input.permissions).filter((g) => g.scope === 'all').length <
        ctx.deps.modules.allPermissions.length
    ) {
      throw new DomainError(
        'rule_violated',
        'IDENTITY_ADMIN_ROLE_FIXED',
        'The admin role always has every permission on all records',
      );
    }
    if (input.key !== undefined && before.isSystem && input.key !== before.key)
      throw new DomainError(
        'rule_violated',
        'IDENTITY_SYSTEM_ROLE_KEY',
        'A built-in role keeps its key',
      );
    await db(tx)
      .updateTable('roles')
      .set({
        ...(input.key !== undefined ? { key: input.key } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.permissions !== undefined
          ? { permissions: JSON.stringify(dedupe(input.permissions)) }
          : {}),
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    const [after] = await listRoleRows(tx, ctx.organizationId, id);
    await ctx.audit(tx, {
      action: 'role.updated',
      targetType: 'role',
      targetId: id,
      diff: fieldDiff({ ...before, userCount: null }, { ...(after as RoleView), userCount: null }),
    });
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
    return after as RoleView;
  });
}

export async function deleteRole(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'roles:delete');
  await ctx.tx(async (tx) => {
    const [role] = await listRoleRows(tx, ctx.organizationId, id);
    if (!role) throw errors.notFound('Role');
    if (role.key === 'admin')
      throw new DomainError(
        'rule_violated',
        'IDENTITY_ADMIN_ROLE_FIXED',
        'The admin role cannot be deleted',
      );
    if (role.userCount > 0)
      throw errors.conflict(
        'IDENTITY_ROLE_IN_USE',
        `${role.userCount} user(s) still have this role`,
      );
    const invited = await db(tx)
      .selectFrom('invitations')
      .select('id')
      .where('organization_id', '=', ctx.organizationId)
      .where('role_id', '=', id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (invited) throw errors.conflict('IDENTITY_ROLE_IN_USE', 'Pending invitations use this role');
    await db(tx)
      .deleteFrom('roles')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'role.deleted',
      targetType: 'role',
      targetId: id,
      diff: { key: { from: role.key, to: null } },
    });
  });
}
