import type { Selectable } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  OPEN_LEAD_STATUSES,
  type AssignmentRuleTable,
  type RuleCondition,
  type SalesTables,
} from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();
type RuleRow = Selectable<AssignmentRuleTable>;

/** Minutes an unassigned lead waits before its team's managers hear about it, unless configured. */
export const DEFAULT_REMINDER_MINUTES = 30;

/** What rules test on a new lead. */
export interface LeadFacts {
  source: string | null;
  country: string | null;
  companySize: string | null;
  title: string | null;
  companyName: string | null;
  email: string | null;
  tags: readonly string[];
  customFields: Readonly<Record<string, unknown>>;
}

/** The outcome of the rules for one lead. */
export interface Assignment {
  /** Null when the rule's team has nobody to take it: the lead waits in the team's queue. */
  ownerId: string | null;
  teamId: string | null;
  ruleId: string;
  /** The rule's own reminder time, else the organization's. */
  reminderMinutes: number | null;
}

/** A comparable form of a value: scalars as lower-cased text; objects never match. */
const norm = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v).trim().toLowerCase()
    : '';

/** The lead's values for a condition field (several for tags and multi-value custom fields). */
function valuesOf(field: string, facts: LeadFacts): unknown[] {
  switch (field) {
    case 'source':
      return [facts.source];
    case 'country':
      return [facts.country];
    case 'companySize':
      return [facts.companySize];
    case 'title':
      return [facts.title];
    case 'companyName':
      return [facts.companyName];
    case 'emailDomain':
      return [facts.email?.split('@')[1] ?? null];
    case 'tags':
      return [...facts.tags];
    default: {
      const value = field.startsWith('custom.')
        ? facts.customFields[field.slice('custom.'.length)]
        : undefined;
      return Array.isArray(value) ? value : [value];
    }
  }
}

/** Whether every condition holds (case-insensitively); no conditions match every lead. */
export function matchesConditions(conditions: readonly RuleCondition[], facts: LeadFacts): boolean {
  return conditions.every((c) => {
    const have = valuesOf(c.field, facts).map(norm).filter(Boolean);
    const wanted = (Array.isArray(c.value) ? c.value : [c.value]).map(norm);
    return have.some((h) => wanted.includes(h));
  });
}

/**
 * Who in a team receives leads: its active members who are not managers (managers route, reps
 * receive), or its managers when the team has no one else. Sorted by id: a stable rotation order.
 */
async function receiversOf(tx: Tx, organizationId: string, teamId: string): Promise<string[]> {
  const rows = await db(tx)
    .selectFrom('team_members as m')
    .innerJoin('users as u', (j) =>
      j.onRef('u.organization_id', '=', 'm.organization_id').onRef('u.id', '=', 'm.user_id'),
    )
    .select(['m.user_id', 'm.is_manager'])
    .where('m.organization_id', '=', organizationId)
    .where('m.team_id', '=', teamId)
    .where('u.status', '=', 'active')
    .orderBy('m.user_id')
    .execute();
  const reps = rows.filter((r) => !r.is_manager);
  return (reps.length ? reps : rows).map((r) => r.user_id);
}

/** Locks the rule row: concurrent creates matching the same rule choose one after the other. */
async function lockRule(ctx: Ctx, tx: Tx, ruleId: string): Promise<string | null> {
  const row = await db(tx)
    .selectFrom('lead_assignment_rules')
    .select('last_assigned_user_id')
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', ruleId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.last_assigned_user_id;
}

/** The member after the last one picked, wrapping around; fair across membership changes. */
async function nextInRotation(
  ctx: Ctx,
  tx: Tx,
  rule: RuleRow,
  members: string[],
): Promise<string | null> {
  const last = await lockRule(ctx, tx, rule.id);
  const next = members.find((m) => last !== null && m > last) ?? members[0] ?? null;
  if (next) {
    await db(tx)
      .updateTable('lead_assignment_rules')
      .set({ last_assigned_user_id: next })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', rule.id)
      .execute();
  }
  return next;
}

/** The member with the fewest open leads (ties: the first in rotation order). */
async function leastLoaded(
  ctx: Ctx,
  tx: Tx,
  rule: RuleRow,
  members: string[],
): Promise<string | null> {
  if (members.length === 0) return null;
  await lockRule(ctx, tx, rule.id);
  const counts = await db(tx)
    .selectFrom('leads')
    .select(['owner_id', (eb) => eb.fn.countAll<string>().as('open')])
    .where('organization_id', '=', ctx.organizationId)
    .where('owner_id', 'in', members)
    .where('deleted_at', 'is', null)
    .where('status', 'in', [...OPEN_LEAD_STATUSES])
    .groupBy('owner_id')
    .execute();
  const load = new Map(counts.map((c) => [c.owner_id, Number(c.open)]));
  return members.reduce((best, m) => ((load.get(m) ?? 0) < (load.get(best) ?? 0) ? m : best));
}

async function isActiveUser(tx: Tx, organizationId: string, userId: string): Promise<boolean> {
  const row = await db(tx)
    .selectFrom('users')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** Applies one matching rule; null when it cannot place the lead (its user is gone or disabled). */
async function apply(ctx: Ctx, tx: Tx, rule: RuleRow): Promise<Assignment | null> {
  const base = { ruleId: rule.id, teamId: rule.team_id, reminderMinutes: rule.reminder_minutes };
  if (rule.strategy === 'user') {
    return rule.user_id && (await isActiveUser(tx, ctx.organizationId, rule.user_id))
      ? { ...base, ownerId: rule.user_id }
      : null;
  }
  if (!rule.team_id) return null;
  const members = await receiversOf(tx, ctx.organizationId, rule.team_id);
  const ownerId =
    rule.strategy === 'round_robin'
      ? await nextInRotation(ctx, tx, rule, members)
      : await leastLoaded(ctx, tx, rule, members);
  return { ...base, ownerId };
}

/**
 * Runs the organization's active rules in position order on a lead that has no owner; the first
 * rule that matches and can place the lead decides. Null when none does.
 */
export async function chooseAssignee(
  ctx: Ctx,
  tx: Tx,
  facts: LeadFacts,
): Promise<Assignment | null> {
  const rules = await db(tx)
    .selectFrom('lead_assignment_rules')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('active', '=', true)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const rule of rules) {
    if (!matchesConditions(rule.conditions, facts)) continue;
    const assignment = await apply(ctx, tx, rule);
    if (assignment) return assignment;
  }
  return null;
}

/** The organization's reminder time for unassigned leads (settings.leads.unassignedReminderMinutes). */
export async function organizationReminderMinutes(tx: Tx, organizationId: string): Promise<number> {
  const org = await tx
    .selectFrom('organizations')
    .select('settings')
    .where('id', '=', organizationId)
    .executeTakeFirst();
  const leads = org?.settings.leads;
  const minutes =
    leads && typeof leads === 'object'
      ? (leads as Record<string, unknown>).unassignedReminderMinutes
      : undefined;
  return typeof minutes === 'number' && Number.isInteger(minutes) && minutes > 0
    ? minutes
    : DEFAULT_REMINDER_MINUTES;
}
