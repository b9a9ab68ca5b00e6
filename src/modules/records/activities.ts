import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize, decide } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import { emitAssigned, type AssignedPayload } from '../../platform/outbox/index.js';
import { assertReferences } from '../../platform/references/index.js';
import {
  linkFieldsOf,
  linkListFields,
  linksOf,
  refreshLastContacted,
  writeLinks,
  type LinkFields,
  type LinkInput,
  type RecordRef,
} from './activity-links.js';
import { assertLinkTargets } from './activity-link-check.js';
import { assertVersion, authorizeCreate } from './record-access.js';
import { listRecords, searchSql } from './record-list.js';
import type { ActivityTable, RecordsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
type ActivityRow = Selectable<ActivityTable>;

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'note', 'task'] as const;
/** Activity types that count as contacting a person (they move `lastContactedAt`). */
const CONTACTING = new Set(['call', 'email', 'meeting']);

/**
 * An activity as the API shows it: every record it links to in `links`, and the first link of
 * each type the API names a field for in `contactId` … `ticketId` (API.md).
 */
export interface Activity extends LinkFields {
  links: RecordRef[];
  id: string;
  type: ActivityRow['type'];
  subject: string;
  /** Markdown; the web app sanitizes it when rendering. */
  body: string | null;
  status: ActivityRow['status'];
  dueAt: string | null;
  doneAt: string | null;
  remindAt: string | null;
  ownerId: string | null;
  assigneeId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ActivityInput extends LinkInput {
  type?: ActivityRow['type'];
  subject?: string;
  body?: string | null;
  status?: ActivityRow['status'];
  dueAt?: string | null;
  doneAt?: string | null;
  remindAt?: string | null;
  assigneeId?: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** People and organizations come last: an activity also about a deal or a project belongs there. */
const BACKGROUND_PARENTS = ['contact', 'company'];

/**
 * The record an activity belongs to, whose page shows it: the first record it links to that is
 * not a contact or company (a deal, ticket, lead or an admin's project), else its contact, else
 * its company.
 */
function parentOf(a: Activity): AssignedPayload['parent'] {
  const rank = (l: RecordRef) => BACKGROUND_PARENTS.indexOf(l.objectType);
  const found = [...a.links].sort((x, y) => rank(x) - rank(y))[0];
  return found ? { type: found.objectType, id: found.recordId } : null;
}

/** Announces a new assignee as `activity.assigned` ("A task was assigned to you"). */
async function announceAssignee(
  ctx: Ctx,
  tx: Tx,
  a: Activity,
  previous: { assigneeId: string | null } | 'created',
): Promise<void> {
  const input = {
    recordType: 'activity',
    recordId: a.id,
    kind: a.type,
    label: a.subject,
    ownerId: a.assigneeId,
    parent: parentOf(a),
  } as const;
  if (previous === 'created')
    await emitAssigned(ctx, tx, { ...input, previousOwnerId: null }, { created: true });
  else await emitAssigned(ctx, tx, { ...input, previousOwnerId: previous.assigneeId });
}

/** The API shape of an activity row with its links. */
export function presentActivity(r: ActivityRow, links: readonly RecordRef[]): Activity {
  return {
    id: r.id,
    type: r.type,
    subject: r.subject,
    body: r.body,
    status: r.status,
    dueAt: iso(r.due_at),
    doneAt: iso(r.done_at),
    remindAt: iso(r.remind_at),
    ownerId: r.owner_id,
    assigneeId: r.assignee_id,
    ...linkFieldsOf(links),
    links: [...links],
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Presents activity rows with their links, read in one query. */
export async function presentActivities(
  tx: Tx,
  organizationId: string,
  rows: readonly ActivityRow[],
): Promise<Activity[]> {
  const links = await linksOf(
    tx,
    organizationId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentActivity(r, links.get(r.id) ?? []));
}

async function presentOne(tx: Tx, organizationId: string, row: ActivityRow): Promise<Activity> {
  return presentActivity(row, (await linksOf(tx, organizationId, [row.id])).get(row.id) ?? []);
}

function columnsOf(input: ActivityInput) {
  // Marking an activity done stamps the time unless the client gave one.
  const doneAt =
    input.doneAt !== undefined
      ? input.doneAt
      : input.status === 'done'
        ? new Date().toISOString()
        : input.status === 'open'
          ? null
          : undefined;
  return {
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.dueAt !== undefined ? { due_at: input.dueAt } : {}),
    ...(doneAt !== undefined ? { done_at: doneAt } : {}),
    // A new reminder time is a new reminder: a job still queued for the old one finds it gone.
    ...(input.remindAt !== undefined
      ? { remind_at: input.remindAt, reminded_at: null, reminder_job_id: null }
      : {}),
    ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
  };
}

/** The assignee and every record an activity links to must be this organization's and visible to the actor (422 naming each field). */
async function checkLinks(ctx: Ctx, tx: Tx, input: ActivityInput): Promise<void> {
  await assertReferences(ctx, tx, [{ field: 'assigneeId', kind: 'user', id: input.assigneeId }]);
  await assertLinkTargets(ctx, tx, input);
}

/** Either a visible owner or assignee lets an actor read an activity. */
function readable(ctx: Ctx, r: ActivityRow): boolean {
  return (
    decide(ctx.actor, 'activities:read', { ownerId: r.owner_id }).allowed ||
    (r.assignee_id !== null &&
      decide(ctx.actor, 'activities:read', { ownerId: r.assignee_id }).allowed)
  );
}

export async function loadActivity(
  ctx: Ctx,
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<ActivityRow> {
  let q = db(tx)
    .selectFrom('activities')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row || !readable(ctx, row)) throw errors.notFound('Activity');
  return row;
}

export async function createActivity(
  ctx: Ctx,
  input: ActivityInput & { type: ActivityRow['type']; subject: string },
): Promise<Activity> {
  authorizeCreate(ctx, 'activities:create', ctx.actor.userId);
  return ctx.tx(async (tx) => {
    await checkLinks(ctx, tx, input);
    const row = await db(tx)
      .insertInto('activities')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        owner_id: ctx.actor.userId,
        assignee_id: input.assigneeId ?? ctx.actor.userId,
        ...columnsOf(input),
        type: input.type,
        subject: input.subject,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const activity = presentActivity(
      row,
      await writeLinks(tx, ctx.organizationId, row.id, input, true),
    );
    if (CONTACTING.has(row.type)) await refreshLastContacted(ctx, tx, activity.contactId);
    await ctx.audit(tx, {
      action: 'activity.created',
      targetType: 'activity',
      targetId: row.id,
      diff: { type: { from: null, to: row.type }, subject: { from: null, to: row.subject } },
    });
    await ctx.emit(tx, {
      type: 'activity.created',
      aggregateType: 'activity',
      aggregateId: row.id,
      payload: { activity },
    });
    await announceAssignee(ctx, tx, activity, 'created');
    return activity;
  });
}

export async function getActivity(ctx: Ctx, id: string): Promise<Activity> {
  return ctx.tx(async (tx) => presentOne(tx, ctx.organizationId, await loadActivity(ctx, tx, id)));
}

export async function updateActivity(
  ctx: Ctx,
  id: string,
  input: ActivityInput,
  expectedVersion?: number,
): Promise<Activity> {
  return ctx.tx(async (tx) => {
    const current = await loadActivity(ctx, tx, id, true);
    const mayUpdate =
      decide(ctx.actor, 'activities:update', { ownerId: current.owner_id }).allowed ||
      (current.assignee_id !== null &&
        decide(ctx.actor, 'activities:update', { ownerId: current.assignee_id }).allowed);
    if (!mayUpdate) throw errors.forbidden('You may not change this activity (activities:update)');
    assertVersion(expectedVersion, current.version);
    await checkLinks(ctx, tx, input);
    const before = await presentOne(tx, ctx.organizationId, current);
    const row = await db(tx)
      .updateTable('activities')
      .set({ ...columnsOf(input), version: current.version + 1, updated_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeLinks(tx, ctx.organizationId, id, input);
    const after = await presentOne(tx, ctx.organizationId, row);
    for (const contactId of new Set([before.contactId, after.contactId]))
      await refreshLastContacted(ctx, tx, contactId);
    const diff = fieldDiff(
      { ...before, version: null, updatedAt: null },
      { ...after, version: null, updatedAt: null },
    );
    await ctx.audit(tx, { action: 'activity.updated', targetType: 'activity', targetId: id, diff });
    await ctx.emit(tx, {
      type: 'activity.updated',
      aggregateType: 'activity',
      aggregateId: id,
      payload: { activity: after, changes: diff },
    });
    await announceAssignee(ctx, tx, after, before);
    return after;
  });
}

export async function deleteActivity(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadActivity(ctx, tx, id, true);
    authorize(ctx, 'activities:delete', { ownerId: current.owner_id });
    await db(tx)
      .updateTable('activities')
      .set({ deleted_at: new Date(), version: current.version + 1 })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    const { contactId } = await presentOne(tx, ctx.organizationId, current);
    await refreshLastContacted(ctx, tx, contactId);
    await ctx.audit(tx, {
      action: 'activity.deleted',
      targetType: 'activity',
      targetId: id,
      diff: null,
    });
    await ctx.emit(tx, {
      type: 'activity.deleted',
      aggregateType: 'activity',
      aggregateId: id,
      payload: { id },
    });
  });
}

export const ACTIVITY_FIELDS: FieldMap = {
  type: { column: 'type', type: 'enum', values: ACTIVITY_TYPES, notNull: true },
  status: { column: 'status', type: 'enum', values: ['open', 'done', 'canceled'], notNull: true },
  subject: { column: 'subject', type: 'text', notNull: true },
  dueAt: { column: 'due_at', type: 'datetime' },
  doneAt: { column: 'done_at', type: 'datetime' },
  ownerId: { column: 'owner_id', type: 'uuid' },
  assigneeId: { column: 'assignee_id', type: 'uuid' },
  // Filters only (`filter[dealId]=…`): the links live in activity_links.
  ...linkListFields('activities'),
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
};

/** Whose activities a list keeps, seen from the caller (`assignee=` on the list). */
export type AssigneeFilter = 'me' | 'team';

/**
 * `assignee_id` among the caller (`me`) or the caller and their teammates (`team`). The read scope
 * still applies on top: `team` never widens what a role with `own` scope sees.
 */
function assigneeSql(ctx: Ctx, assignee: AssigneeFilter): Expression<SqlBool> {
  const me = ctx.actor.userId;
  const ids = assignee === 'me' ? [me] : [...new Set([me, ...ctx.actor.teamMemberIds])];
  const known = ids.filter((id): id is string => id !== null);
  if (known.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`assignee_id in (${sql.join(known.map((id) => sql`${id}::uuid`))})`;
}

export async function listActivities(
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
  options: { assignee?: AssigneeFilter | undefined } = {},
): Promise<{ data: Activity[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, 'activities:read');
  return ctx.tx(async (tx) => {
    const page = await listRecords<ActivityRow>(
      ctx,
      tx,
      {
        table: 'activities',
        objectType: null,
        permission: 'activities:read',
        mergeable: false,
        ownerColumns: ['owner_id', 'assignee_id'],
        fields: ACTIVITY_FIELDS,
        search: (q) => searchSql(sql`lower(subject || ' ' || coalesce(body, ''))`, q.text),
        ...(options.assignee ? { where: [assigneeSql(ctx, options.assignee)] } : {}),
      },
      rawQuery,
    );
    return {
      data: await presentActivities(tx, ctx.organizationId, page.rows),
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}

/** Open tasks due in [from, to): relative-date workflow triggers. */
export async function tasksDueBetween(ctx: Ctx, from: Date, to: Date): Promise<Activity[]> {
  authorize(ctx, 'activities:read');
  return ctx.tx(async (tx) => {
    const rows = await db(tx)
      .selectFrom('activities')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('type', '=', 'task')
      .where('status', '=', 'open')
      .where('due_at', '>=', from)
      .where('due_at', '<', to)
      .limit(5000)
      .execute();
    return presentActivities(tx, ctx.organizationId, rows);
  });
}
