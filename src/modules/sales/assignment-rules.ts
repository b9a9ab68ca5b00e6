import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { assertUserExists, assertVersion, isUniqueViolation } from '../records/index.js';
import { assertTeamExists } from './lead-access.js';
import { authorizeRouting } from './routing-access.js';
import type {
  AssignmentRuleTable,
  AssignmentStrategy,
  RuleCondition,
  SalesTables,
} from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();
type RuleRow = Selectable<AssignmentRuleTable>;

/** An assignment rule as the API presents it. */
export interface AssignmentRule {
  id: string;
  name: string;
  /** Rules run in ascending position; the first that matches decides. */
  position: number;
  active: boolean;
  conditions: RuleCondition[];
  strategy: AssignmentStrategy;
  userId: string | null;
  teamId: string | null;
  reminderMinutes: number | null;
  /** Whom round robin picked last (it continues after them). */
  lastAssignedUserId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Fields an admin or manager sets on a rule. */
export interface AssignmentRuleInput {
  name?: string;
  position?: number;
  active?: boolean;
  conditions?: RuleCondition[];
  strategy?: AssignmentStrategy;
  /** The fixed owner (strategy `user`). */
  userId?: string | null;
  /** The team to pick from (round_robin, least_loaded); with `user`, the team the lead joins. */
  teamId?: string | null;
  /** Minutes before an unassigned lead's managers are told; null: the organization's setting. */
  reminderMinutes?: number | null;
}

function presentRule(r: RuleRow): AssignmentRule {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    active: r.active,
    conditions: r.conditions,
    strategy: r.strategy,
    userId: r.user_id,
    teamId: r.team_id,
    reminderMinutes: r.reminder_minutes,
    lastAssignedUserId: r.last_assigned_user_id,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function ruleColumns(input: AssignmentRuleInput) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.position !== undefined ? { position: input.position } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(input.conditions !== undefined ? { conditions: JSON.stringify(input.conditions) } : {}),
    ...(input.strategy !== undefined ? { strategy: input.strategy } : {}),
    ...(input.userId !== undefined ? { user_id: input.userId } : {}),
    ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
    ...(input.reminderMinutes !== undefined ? { reminder_minutes: input.reminderMinutes } : {}),
  };
}

/** A rule must be able to place a lead: a user for `user`, a team for the team strategies. */
async function checkRule(
  ctx: Ctx,
  tx: Tx,
  rule: { strategy: AssignmentStrategy; userId: string | null; teamId: string | null },
): Promise<void> {
  if (rule.strategy === 'user' && !rule.userId)
    throw errors.validation([{ path: 'userId', message: 'is required for strategy user' }]);
  if (rule.strategy !== 'user' && !rule.teamId)
    throw errors.validation([
      { path: 'teamId', message: `is required for strategy ${rule.strategy}` },
    ]);
  if (rule.userId) await assertUserExists(tx, ctx.organizationId, rule.userId, 'userId');
  if (rule.teamId) await assertTeamExists(tx, ctx.organizationId, rule.teamId, 'teamId');
}

async function loadRule(ctx: Ctx, tx: Tx, id: string, forUpdate = false): Promise<RuleRow> {
  let q = db(tx)
    .selectFrom('lead_assignment_rules')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Assignment rule');
  return row;
}

/** Two rules at one position would run in an order nobody chose; each position holds one rule. */
const positionTaken = (position: number, ruleId: string | undefined) =>
  new DomainError(
    'conflict',
    'SALES_RULE_POSITION_TAKEN',
    `Another rule${ruleId ? ` (${ruleId})` : ''} runs at position ${position}; move it first or pick a free position`,
    {
      details: [{ path: 'position', message: `is taken${ruleId ? ` by rule ${ruleId}` : ''}` }],
    },
  );

async function assertPositionFree(
  ctx: Ctx,
  tx: Tx,
  position: number,
  exceptId?: string,
): Promise<void> {
  let q = db(tx)
    .selectFrom('lead_assignment_rules')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('position', '=', position);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const holder = await q.executeTakeFirst();
  if (holder) throw positionTaken(position, holder.id);
}

/** Runs a write; a concurrent write that took the same position first ends in the same 409. */
async function claimingPosition<T>(
  position: number | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (position !== undefined && isUniqueViolation(e)) throw positionTaken(position, undefined);
    throw e;
  }
}

/** The organization's rules in the order they run. */
export async function listAssignmentRules(ctx: Ctx): Promise<AssignmentRule[]> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    const rows = await db(tx)
      .selectFrom('lead_assignment_rules')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .orderBy('position')
      .execute();
    return rows.map(presentRule);
  });
}

export async function getAssignmentRule(ctx: Ctx, id: string): Promise<AssignmentRule> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    return presentRule(await loadRule(ctx, tx, id));
  });
}

/** Adds a rule; without a position it runs after every existing rule, with one it must be free (409). */
export async function createAssignmentRule(
  ctx: Ctx,
  input: AssignmentRuleInput & { name: string; strategy: AssignmentStrategy },
): Promise<AssignmentRule> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    await checkRule(ctx, tx, {
      strategy: input.strategy,
      userId: input.userId ?? null,
      teamId: input.teamId ?? null,
    });
    const last = await db(tx)
      .selectFrom('lead_assignment_rules')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('organization_id', '=', ctx.organizationId)
      .executeTakeFirst();
    const position =
      input.position ?? (last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1);
    await assertPositionFree(ctx, tx, position);
    const row = await claimingPosition(position, () =>
      db(tx)
        .insertInto('lead_assignment_rules')
        .values({
          organization_id: ctx.organizationId,
          id: uuidv7(),
          name: input.name,
          strategy: input.strategy,
          ...ruleColumns({ ...input, position }),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    const rule = presentRule(row);
    await ctx.audit(tx, {
      action: 'lead_assignment_rule.created',
      targetType: 'lead_assignment_rule',
      targetId: row.id,
      diff: fieldDiff(null, { ...rule }),
    });
    return rule;
  });
}

/** Changes a rule (its order too, through a free `position`, else 409); If-Match guards against lost edits. */
export async function updateAssignmentRule(
  ctx: Ctx,
  id: string,
  input: AssignmentRuleInput,
  expectedVersion?: number,
): Promise<AssignmentRule> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    const current = await loadRule(ctx, tx, id, true);
    assertVersion(expectedVersion, current.version);
    await checkRule(ctx, tx, {
      strategy: input.strategy ?? current.strategy,
      userId: input.userId !== undefined ? input.userId : current.user_id,
      teamId: input.teamId !== undefined ? input.teamId : current.team_id,
    });
    // A rotation restarts when the team it rotated in changes.
    const restart =
      input.teamId !== undefined && input.teamId !== current.team_id
        ? { last_assigned_user_id: null }
        : {};
    if (input.position !== undefined) await assertPositionFree(ctx, tx, input.position, id);
    const row = await claimingPosition(input.position, () =>
      db(tx)
        .updateTable('lead_assignment_rules')
        .set({
          ...ruleColumns(input),
          ...restart,
          version: current.version + 1,
          updated_at: new Date(),
        })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    const after = presentRule(row);
    await ctx.audit(tx, {
      action: 'lead_assignment_rule.updated',
      targetType: 'lead_assignment_rule',
      targetId: id,
      diff: fieldDiff({ ...presentRule(current) }, { ...after }, ['version', 'updatedAt']),
    });
    return after;
  });
}

/** Deletes a rule; leads it assigned keep their owners. */
export async function deleteAssignmentRule(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    await loadRule(ctx, tx, id, true);
    await db(tx)
      .deleteFrom('lead_assignment_rules')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'lead_assignment_rule.deleted',
      targetType: 'lead_assignment_rule',
      targetId: id,
      diff: null,
    });
  });
}
