import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import { authorize, authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { decrypt, encrypt, randomToken } from '../../platform/crypto/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { removeSchedule, upsertSchedule } from '../../platform/jobs/index.js';
import { objectsOf } from '../../platform/objects/index.js';
import { assertUserExists, assertVersion } from '../records/index.js';
import { EMPTY_DEFINITION, triggerKey, type Definition } from './definition.js';
import { definitionInvalid, notPublished } from './errors.js';
import { WORKFLOW_EVENTS } from './events.js';
import type { WorkflowTable, WorkflowTables } from './schema.js';
import { validateForPublish } from './validate.js';
import { assertKnownObjects, unknownObjects } from './object-check.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();
export type WorkflowRow = Selectable<WorkflowTable>;

/** The job a schedule trigger enqueues at each fire time. */
export const SCHEDULE_JOB = 'workflow.schedule';
const scheduleKey = (workflowId: string) => `workflow:${workflowId}`;

/** A workflow as the API presents it. */
export interface Workflow {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  /** The definition being edited. */
  draft: Definition;
  /** The version new runs start on; null before the first publish. */
  publishedVersion: number | null;
  /** Whether the draft differs from the published version. */
  hasUnpublishedChanges: boolean;
  triggerKey: string | null;
  /** For inbound-webhook triggers: the URL to POST to (it carries the secret). */
  inboundUrl: string | null;
  /** Verifies the X-Cerebro-Signature of this workflow's webhook calls. */
  signingSecret: string;
  ownerId: string | null;
  createdBy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a client sets on a workflow. */
export interface WorkflowInput {
  name?: string;
  description?: string | null;
  /** A new draft definition (validated in shape; completeness is checked at publish). */
  draft?: Definition;
  /** Who is told when a run fails; the creator by default. */
  ownerId?: string | null;
  enabled?: boolean;
}

function inboundUrl(ctx: Ctx, r: WorkflowRow): string | null {
  if (!r.inbound_secret_enc) return null;
  return `${ctx.deps.config.http.publicUrl}/api/v1/workflow-hooks/${r.id}/${decrypt(ctx.deps.secretKey, r.inbound_secret_enc)}`;
}

/** The API view of a workflow row; `published` is the published definition when there is one. */
export function presentWorkflow(ctx: Ctx, r: WorkflowRow, published: Definition | null): Workflow {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    enabled: r.enabled,
    draft: r.draft,
    publishedVersion: r.published_version,
    hasUnpublishedChanges:
      published === null ? true : JSON.stringify(published) !== JSON.stringify(r.draft),
    triggerKey: r.trigger_key,
    inboundUrl: r.draft.trigger.type === 'inbound_webhook' ? inboundUrl(ctx, r) : null,
    signingSecret: decrypt(ctx.deps.secretKey, r.signing_secret_enc),
    ownerId: r.owner_id,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Loads a workflow of the actor's organization (not deleted), or throws 404. */
export async function loadWorkflow(
  ctx: Ctx,
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<WorkflowRow> {
  let q = db(tx)
    .selectFrom('workflows')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Workflow');
  return row;
}

/** The definition of one published version. */
export async function loadVersion(
  tx: Tx,
  organizationId: string,
  workflowId: string,
  version: number,
): Promise<Definition> {
  const row = await db(tx)
    .selectFrom('workflow_versions')
    .select('definition')
    .where('organization_id', '=', organizationId)
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw errors.notFound('Workflow version');
  return row.definition;
}

async function present(ctx: Ctx, tx: Tx, r: WorkflowRow): Promise<Workflow> {
  return presentWorkflow(
    ctx,
    r,
    r.published_version === null
      ? null
      : await loadVersion(tx, ctx.organizationId, r.id, r.published_version),
  );
}

/** Keeps the cron schedule of a schedule-triggered workflow in step with its state. */
async function syncSchedule(
  ctx: Ctx,
  tx: Tx,
  r: WorkflowRow,
  published: Definition | null,
): Promise<void> {
  const trigger = published?.trigger;
  if (r.enabled && !r.deleted_at && trigger?.type === 'schedule') {
    await upsertSchedule(
      tx,
      {
        organizationId: ctx.organizationId,
        key: scheduleKey(r.id),
        cron: trigger.cron,
        timezone: trigger.timezone,
        job: { name: SCHEDULE_JOB, payload: { workflowId: r.id } },
      },
      ctx.deps.clock.now(),
    );
  } else {
    await removeSchedule(tx, ctx.organizationId, scheduleKey(r.id));
  }
}

/** Creates a workflow with a draft (disabled until published and enabled). */
export async function createWorkflow(
  ctx: Ctx,
  input: WorkflowInput & { name: string },
): Promise<Workflow> {
  authorizeOrganizationWide(ctx, 'workflows:create');
  return ctx.tx(async (tx) => {
    if (input.ownerId) await assertUserExists(tx, ctx.organizationId, input.ownerId, 'ownerId');
    const draft = input.draft ?? EMPTY_DEFINITION;
    await assertKnownObjects(ctx, tx, draft);
    const row = await db(tx)
      .insertInto('workflows')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        name: input.name,
        description: input.description ?? null,
        enabled: false,
        draft: JSON.stringify(draft),
        published_version: null,
        trigger_key: null,
        inbound_secret_enc:
          draft.trigger.type === 'inbound_webhook'
            ? encrypt(ctx.deps.secretKey, randomToken(24))
            : null,
        signing_secret_enc: encrypt(ctx.deps.secretKey, `wfsec_${randomToken(24)}`),
        owner_id: input.ownerId ?? ctx.actor.userId,
        created_by: ctx.actor.userId,
        date_swept_at: null,
        deleted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'workflow.created',
      targetType: 'workflow',
      targetId: row.id,
      diff: fieldDiff(null, { name: row.name, trigger: draft.trigger.type }),
    });
    return presentWorkflow(ctx, row, null);
  });
}

/** Reads one workflow. */
export async function getWorkflow(ctx: Ctx, id: string): Promise<Workflow> {
  authorize(ctx, 'workflows:read');
  return ctx.tx(async (tx) => present(ctx, tx, await loadWorkflow(ctx, tx, id)));
}

/** Lists workflows, newest first; `triggerKey` narrows to one trigger (the record page asks for `manual:contact`). */
export async function listWorkflows(
  ctx: Ctx,
  q: { triggerKey?: string | undefined; enabled?: boolean | undefined },
): Promise<Workflow[]> {
  authorize(ctx, 'workflows:read');
  return ctx.tx(async (tx) => {
    let query = db(tx)
      .selectFrom('workflows')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('deleted_at', 'is', null);
    if (q.triggerKey) query = query.where('trigger_key', '=', q.triggerKey);
    if (q.enabled !== undefined) query = query.where('enabled', '=', q.enabled);
    const rows = await query.orderBy('id', 'desc').execute();
    // The published definitions of the whole page in one query, not one per workflow.
    const ids = rows.filter((r) => r.published_version !== null).map((r) => r.id);
    const versions = ids.length
      ? await db(tx)
          .selectFrom('workflow_versions as v')
          .innerJoin('workflows as w', (j) =>
            j
              .onRef('w.organization_id', '=', 'v.organization_id')
              .onRef('w.id', '=', 'v.workflow_id')
              .onRef('w.published_version', '=', 'v.version'),
          )
          .select(['v.workflow_id', 'v.version', 'v.definition'])
          .where('v.organization_id', '=', ctx.organizationId)
          .where('v.workflow_id', 'in', ids)
          .execute()
      : [];
    const published = new Map(versions.map((v) => [`${v.workflow_id}:${v.version}`, v.definition]));
    return rows.map((r) =>
      presentWorkflow(ctx, r, published.get(`${r.id}:${r.published_version ?? ''}`) ?? null),
    );
  });
}

/** Updates name, description, owner, the draft, or enabled (which needs a published version). */
export async function updateWorkflow(
  ctx: Ctx,
  id: string,
  input: WorkflowInput,
  expectedVersion?: number,
): Promise<Workflow> {
  authorizeOrganizationWide(ctx, 'workflows:update');
  return ctx.tx(async (tx) => {
    if (input.draft) await assertKnownObjects(ctx, tx, input.draft);
    const current = await loadWorkflow(ctx, tx, id, true);
    assertVersion(expectedVersion, current.version);
    if (input.ownerId) await assertUserExists(tx, ctx.organizationId, input.ownerId, 'ownerId');
    if (input.enabled && current.published_version === null) throw notPublished();
    const needsSecret =
      input.draft?.trigger.type === 'inbound_webhook' && !current.inbound_secret_enc;
    const row = await db(tx)
      .updateTable('workflows')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
        ...(input.draft !== undefined ? { draft: JSON.stringify(input.draft) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(needsSecret
          ? { inbound_secret_enc: encrypt(ctx.deps.secretKey, randomToken(24)) }
          : {}),
        // Relative-date triggers look forward from the moment they are switched on, not back.
        ...(input.enabled && !current.enabled ? { date_swept_at: ctx.deps.clock.now() } : {}),
        version: current.version + 1,
        updated_at: ctx.deps.clock.now(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const published =
      row.published_version === null
        ? null
        : await loadVersion(tx, ctx.organizationId, id, row.published_version);
    if (input.enabled !== undefined) await syncSchedule(ctx, tx, row, published);
    await ctx.audit(tx, {
      action: 'workflow.updated',
      targetType: 'workflow',
      targetId: id,
      diff: fieldDiff(
        {
          name: current.name,
          description: current.description,
          ownerId: current.owner_id,
          enabled: current.enabled,
          draft: current.draft,
        },
        {
          name: row.name,
          description: row.description,
          ownerId: row.owner_id,
          enabled: row.enabled,
          draft: row.draft,
        },
      ),
    });
    return presentWorkflow(ctx, row, published);
  });
}

/**
 * Publishes the draft as the next version, after checking it is complete. Runs already under way
 * keep the version they started on; new runs take this one.
 */
export async function publishWorkflow(ctx: Ctx, id: string): Promise<Workflow> {
  authorizeOrganizationWide(ctx, 'workflows:update');
  return ctx.tx(async (tx) => {
    const current = await loadWorkflow(ctx, tx, id, true);
    const objectKeys = (await objectsOf(ctx.deps.modules, tx, ctx.organizationId)).map(
      (o) => o.key,
    );
    const problems = [
      ...validateForPublish(current.draft, objectKeys),
      ...(await unknownObjects(ctx, tx, current.draft)),
    ];
    if (problems.length)
      throw definitionInvalid(problems.map((p) => ({ ...p, path: `draft.${p.path}` })));
    const version = (current.published_version ?? 0) + 1;
    await db(tx)
      .insertInto('workflow_versions')
      .values({
        organization_id: ctx.organizationId,
        workflow_id: id,
        version,
        definition: JSON.stringify(current.draft),
        published_by: ctx.actor.userId,
      })
      .execute();
    const row = await db(tx)
      .updateTable('workflows')
      .set({
        published_version: version,
        trigger_key: triggerKey(current.draft.trigger),
        version: sql<number>`version + 1`,
        updated_at: ctx.deps.clock.now(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await syncSchedule(ctx, tx, row, current.draft);
    await ctx.audit(tx, {
      action: 'workflow.published',
      targetType: 'workflow',
      targetId: id,
      diff: { version: { from: current.published_version, to: version } },
    });
    await ctx.emit(tx, {
      type: WORKFLOW_EVENTS.published,
      aggregateType: 'workflow',
      aggregateId: id,
      payload: { workflowId: id, version },
    });
    return presentWorkflow(ctx, row, current.draft);
  });
}

/** Deletes a workflow: it stops starting runs; runs under way finish on their version. */
export async function deleteWorkflow(ctx: Ctx, id: string): Promise<void> {
  authorizeOrganizationWide(ctx, 'workflows:delete');
  await ctx.tx(async (tx) => {
    const current = await loadWorkflow(ctx, tx, id, true);
    const row = await db(tx)
      .updateTable('workflows')
      .set({ deleted_at: ctx.deps.clock.now(), enabled: false, version: current.version + 1 })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await syncSchedule(ctx, tx, row, null);
    await ctx.audit(tx, {
      action: 'workflow.deleted',
      targetType: 'workflow',
      targetId: id,
      diff: null,
    });
  });
}

/** The published versions of a workflow, newest first. */
export async function listVersions(
  ctx: Ctx,
  id: string,
): Promise<
  Array<{
    version: number;
    definition: Definition;
    publishedAt: string;
    publishedBy: string | null;
  }>
> {
  authorize(ctx, 'workflows:read');
  return ctx.tx(async (tx) => {
    await loadWorkflow(ctx, tx, id);
    const rows = await db(tx)
      .selectFrom('workflow_versions')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('workflow_id', '=', id)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      definition: r.definition,
      publishedAt: r.published_at.toISOString(),
      publishedBy: r.published_by,
    }));
  });
}
