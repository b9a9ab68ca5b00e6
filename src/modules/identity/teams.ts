import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { bumpAuthzVersion } from './actor.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

export interface TeamView {
  id: string;
  name: string;
  members: Array<{ userId: string; name: string; email: string; isManager: boolean }>;
}

async function teamRows(tx: Tx, organizationId: string, id?: string): Promise<TeamView[]> {
  let q = db(tx)
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('organization_id', '=', organizationId);
  if (id) q = q.where('id', '=', id);
  const teams = await q.orderBy('name').execute();
  if (teams.length === 0) return [];
  const members = await db(tx)
    .selectFrom('team_members')
    .innerJoin('users', (j) =>
      j
        .onRef('users.organization_id', '=', 'team_members.organization_id')
        .onRef('users.id', '=', 'team_members.user_id'),
    )
    .select([
      'team_members.team_id',
      'users.id',
      'users.name',
      'users.email',
      'team_members.is_manager',
    ])
    .where('team_members.organization_id', '=', organizationId)
    .where(
      'team_members.team_id',
      'in',
      teams.map((t) => t.id),
    )
    .orderBy('users.name')
    .execute();
  return teams.map((t) => ({
    ...t,
    members: members
      .filter((m) => m.team_id === t.id)
      .map((m) => ({ userId: m.id, name: m.name, email: m.email, isManager: m.is_manager })),
  }));
}

export async function listTeams(ctx: Ctx): Promise<TeamView[]> {
  authorize(ctx, 'teams:read');
  return ctx.tx((tx) => teamRows(tx, ctx.organizationId));
}

async function loadTeam(ctx: Ctx, tx: Tx, id: string): Promise<TeamView> {
  const [team] = await teamRows(tx, ctx.organizationId, id);
  if (!team) throw errors.notFound('Team');
  return team;
}

export async function getTeam(ctx: Ctx, id: string): Promise<TeamView> {
  authorize(ctx, 'teams:read');
  return ctx.tx((tx) => loadTeam(ctx, tx, id));
}

async function assertNameFree(ctx: Ctx, tx: Tx, name: string, exceptId?: string): Promise<void> {
  let q = db(tx)
    .selectFrom('teams')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst())
    throw errors.conflict('IDENTITY_TEAM_NAME_TAKEN', `A team named ${name} exists`, {
      path: 'name',
    });
}

export async function createTeam(ctx: Ctx, name: string): Promise<TeamView> {
  authorize(ctx, 'teams:create');
  return ctx.tx(async (tx) => {
    await assertNameFree(ctx, tx, name);
    const id = uuidv7();
    await db(tx)
      .insertInto('teams')
      .values({ organization_id: ctx.organizationId, id, name })
      .execute();
    await ctx.audit(tx, {
      action: 'team.created',
      targetType: 'team',
      targetId: id,
      diff: { name: { from: null, to: name } },
    });
    return loadTeam(ctx, tx, id);
  });
}

export async function renameTeam(ctx: Ctx, id: string, name: string): Promise<TeamView> {
  authorize(ctx, 'teams:update');
  return ctx.tx(async (tx) => {
    const before = await loadTeam(ctx, tx, id);
    await assertNameFree(ctx, tx, name, id);
    await db(tx)
      .updateTable('teams')
      .set({ name })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'team.updated',
      targetType: 'team',
      targetId: id,
      diff: { name: { from: before.name, to: name } },
    });
    // Profiles (`/auth/me`) name the user's teams and are cached per authorization version.
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
    return loadTeam(ctx, tx, id);
  });
}

export async function deleteTeam(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'teams:delete');
  await ctx.tx(async (tx) => {
    const team = await loadTeam(ctx, tx, id);
    await db(tx)
      .deleteFrom('teams')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'team.deleted',
      targetType: 'team',
      targetId: id,
      diff: { name: { from: team.name, to: null } },
    });
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
  });
}

/** Replaces a team's members (and who manages it). */
export async function setTeamMembers(
  ctx: Ctx,
  id: string,
  members: Array<{ userId: string; isManager: boolean }>,
): Promise<TeamView> {
  authorize(ctx, 'teams:update');
  return ctx.tx(async (tx) => {
    const before = await loadTeam(ctx, tx, id);
    const ids = [...new Set(members.map((m) => m.userId))];
    if (ids.length) {
      const found = await db(tx)
        .selectFrom('users')
        .select('id')
        .where('organization_id', '=', ctx.organizationId)
        .where('id', 'in', ids)
        .execute();
      const missing = members.findIndex((m) => !found.some((f) => f.id === m.userId));
      if (missing >= 0)
        throw unknownReferences([
          { path: `members.${missing}.userId`, message: unknownReferenceMessage('user') },
        ]);
    }
    await db(tx)
      .deleteFrom('team_members')
      .where('organization_id', '=', ctx.organizationId)
      .where('team_id', '=', id)
      .execute();
    if (ids.length) {
      await db(tx)
        .insertInto('team_members')
        .values(
          ids.map((userId) => ({
            organization_id: ctx.organizationId,
            team_id: id,
            user_id: userId,
            is_manager: members.some((m) => m.userId === userId && m.isManager),
          })),
        )
        .execute();
    }
    const after = await loadTeam(ctx, tx, id);
    await ctx.audit(tx, {
      action: 'team.members_changed',
      targetType: 'team',
      targetId: id,
      diff: {
        members: {
          from: before.members.map((m) => m.userId).sort(),
          to: after.members.map((m) => m.userId).sort(),
        },
      },
    });
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
    return after;
  });
}

/** The user ids of a team's members, for modules that total or filter by team (404 when unknown). */
export async function teamMemberIds(ctx: Ctx, tx: Tx, teamId: string): Promise<string[]> {
  return (await loadTeam(ctx, tx, teamId)).members.map((m) => m.userId);
}
