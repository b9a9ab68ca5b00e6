import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import type { AssignedPayload } from '../../platform/outbox/index.js';
import {
  linkFieldsOf,
  linkListFields,
  linksOf,
  CONTACTING_TYPES,
  refreshLastContacted,
  writeLinks,
  type LinkFields,
  type LinkInput,
  type RecordRef,
} from './activity-links.js';
import { assertLinkTargets } from './activity-link-check.js';
import { recordLifecycle } from './record-lifecycle.js';
import type { LifecycleHooks, RecordListPage } from './record-lifecycle-spec.js';
import { searchSql } from './record-list.js';
import type { ActivityTable, RecordsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
type ActivityRow = Selectable<ActivityTable>;

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'note', 'task'] as const;

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

/**
 * The record an activity belongs to, whose page shows it: the first record it links to whose
 * object is not a background parent (a deal, ticket, lead or an admin's project), else the first
 * background one in the registry's order (its contact, else its company).
 */
function parentOf(a: Activity, ctx: Ctx): AssignedPayload['parent'] {
  const order = [...ctx.deps.modules.objects.values()]
    .filter((o) => o.backgroundParent)
    .map((o) => o.key);
  const rank = (l: RecordRef) => order.indexOf(l.objectType);
  const found = [...a.links].sort((x, y) => rank(x) - rank(y))[0];
  return found ? { type: found.objectType, id: found.recordId } : null;
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

/** What the lifecycle writes: the input, and on create the owner it chose (the creator). */
type ActivityWrite = ActivityInput & { ownerId?: string | null };

function columnsOf(input: ActivityWrite) {
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
    ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
  };
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

/** The records an activity links to (whose last contact it may move). */
async function linkedRecords(ctx: Ctx, tx: Tx, id: string): Promise<readonly RecordRef[]> {
  return (await linksOf(tx, ctx.organizationId, [id])).get(id) ?? [];
}

/** Activities' own rules around the shared lifecycle: the assignee, the links, last contact. */
const ACTIVITY_HOOKS: LifecycleHooks<ActivityRow, Activity, ActivityWrite> = {
  // Every record it links to must be this organization's and visible (422 naming the field).
  async beforeCreate(ctx, tx, input) {
    await assertLinkTargets(ctx, tx, input);
    // A new activity is the creator's to do unless it names someone (null too: it is theirs).
    return { input: { ...input, assigneeId: input.assigneeId ?? ctx.actor.userId } };
  },
  afterInsert: async (ctx, tx, row, input) => {
    await writeLinks(tx, ctx.organizationId, row.id, input, true);
    return row;
  },
  created: async (ctx, tx, activity) => {
    if (CONTACTING_TYPES.includes(activity.type))
      await refreshLastContacted(ctx, tx, activity.links);
  },
  async beforeUpdate(ctx, tx, _current, input) {
    await assertLinkTargets(ctx, tx, input);
    return { input };
  },
  afterWrite: async (ctx, tx, _current, row, input) => {
    await writeLinks(tx, ctx.organizationId, row.id, input);
    return row;
  },
  // Its type, status or links may have changed: the last contact of what it was and is linked
  // to is derived again.
  updated: (ctx, tx, { previous, record }) =>
    refreshLastContacted(ctx, tx, [...previous.links, ...record.links]),
  removed: async (ctx, tx, row) =>
    refreshLastContacted(ctx, tx, await linkedRecords(ctx, tx, row.id)),
};

const activities = recordLifecycle<ActivityRow, Activity, ActivityWrite>({
  key: 'activity',
  resource: 'activities',
  label: 'Activity',
  table: 'activities',
  mergeable: false,
  customFields: false,
  // Its owner or its assignee lets an actor read and change it; deleting stays the owner's.
  guard: (r, action) =>
    action === 'delete'
      ? { ownerId: r.owner_id }
      : [{ ownerId: r.owner_id }, { ownerId: r.assignee_id }],
  present: (ctx, tx, rows) => presentActivities(tx, ctx.organizationId, rows),
  // The links live in activity_links, which the hooks rewrite.
  presentBeforeWrite: true,
  columns: columnsOf,
  references: (input) => [{ field: 'assigneeId', kind: 'user', id: input.assigneeId }],
  auditCreatedFields: ['type', 'subject'],
  // The assignee is who a task is for: "A task was assigned to you".
  assignment: {
    label: (a) => a.subject,
    ownerOf: (a) => a.assigneeId,
    kind: (a) => a.type,
    parent: parentOf,
  },
  list: {
    fields: ACTIVITY_FIELDS,
    search: (q) => searchSql(sql`lower(subject || ' ' || coalesce(body, ''))`, q.text),
    ownerColumns: ['owner_id', 'assignee_id'],
  },
  hooks: ACTIVITY_HOOKS,
});

/**
 * Logs a call, email, meeting or note, or creates a task: the creator owns it and, unless it
 * names someone, is its assignee.
 */
export const createActivity = (
  ctx: Ctx,
  input: ActivityInput & { type: ActivityRow['type']; subject: string },
): Promise<Activity> => activities.create(ctx, input);

export const getActivity = (ctx: Ctx, id: string): Promise<Activity> => activities.get(ctx, id);

/** Partly updates an activity; `expectedVersion` (If-Match) makes a stale write a 412. */
export const updateActivity = (
  ctx: Ctx,
  id: string,
  input: ActivityInput,
  expectedVersion?: number,
): Promise<Activity> => activities.update(ctx, id, input, expectedVersion);

/** Moves an activity to the trash. */
export const deleteActivity = (ctx: Ctx, id: string): Promise<void> => activities.remove(ctx, id);

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

/** A page of activities the actor may read (as owner or assignee); `assignee` narrows it. */
export const listActivities = (
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
  options: { assignee?: AssigneeFilter | undefined } = {},
): Promise<RecordListPage<Activity>> =>
  activities.list(
    ctx,
    rawQuery,
    options.assignee ? [assigneeSql(ctx, options.assignee)] : undefined,
  );

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
