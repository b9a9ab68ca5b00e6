import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import { decrypt, safeEqual } from '../../platform/crypto/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import type { JobHandler } from '../../platform/jobs/index.js';
import { evaluateConditions } from './conditions.js';
import type { Definition, WorkflowObject } from './definition.js';
import { inboundRefused, notManual } from './errors.js';
import { authorizeChange, readRecord } from './objects.js';
import { startRun, type RunRow } from './runs.js';
import { loadVersion, loadWorkflow, SCHEDULE_JOB, type WorkflowRow } from './workflows.js';
import type { WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();

/** A run as the start endpoints answer it. */
export interface StartedRun {
  runId: string | null;
  status: RunRow['status'] | 'skipped';
  /** Why no run started (conditions false). */
  reason: string | null;
}

async function published(tx: Tx, w: WorkflowRow): Promise<Definition | null> {
  if (!w.enabled || w.published_version === null) return null;
  return loadVersion(tx, w.organization_id, w.id, w.published_version);
}

const answer = (row: RunRow | null, reason: string | null = null): StartedRun => ({
  runId: row?.id ?? null,
  status: row?.status ?? 'skipped',
  reason,
});

/** Runs a manual workflow on a record the actor can read (the record page's button). */
export async function runManually(
  ctx: Ctx,
  workflowId: string,
  recordId: string,
): Promise<StartedRun> {
  authorize(ctx, 'workflows:read');
  const w = await ctx.tx((tx) => loadWorkflow(ctx, tx, workflowId));
  const def = await ctx.tx((tx) => published(tx, w));
  if (!def || def.trigger.type !== 'manual')
    throw notManual('the workflow is not an enabled manual workflow');
  const object: WorkflowObject = def.trigger.object;
  const record = await readRecord(ctx, object, recordId);
  authorizeChange(ctx, object, record);
  if (!evaluateConditions(def.conditions, { record }))
    return answer(null, "the record does not meet the workflow's conditions");
  const row = await ctx.tx((tx) =>
    startRun(
      tx,
      {
        organizationId: ctx.organizationId,
        realtime: ctx.deps.realtime,
        now: ctx.deps.clock.now(),
        jobs: ctx.deps.jobs,
      },
      {
        workflow: { id: w.id, name: w.name, ownerId: w.owner_id },
        version: w.published_version ?? 1,
        definition: def,
        triggerType: 'manual',
        record: { type: object, id: record.id },
        data: { record, [object]: record, workflow: { id: w.id, name: w.name } },
        depth: 0,
        dedupeKey: `manual:${uuidv7()}`,
        startedBy: ctx.actor.userId,
      },
    ),
  );
  return answer(row);
}

/**
 * An inbound webhook: anyone holding the URL (its last segment is the secret) may start the run
 * with a JSON body, which templates read as `{{webhook.body.…}}`. A wrong secret answers 404, like
 * a workflow that does not exist. `requestKey` (the caller's Idempotency-Key) makes retries safe.
 */
export async function receiveInbound(
  deps: Deps,
  workflowId: string,
  token: string,
  body: unknown,
  requestKey: string | null,
): Promise<StartedRun> {
  const found = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('workflows')
      .select(['organization_id', 'inbound_secret_enc'])
      .where('id', '=', workflowId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst(),
  );
  if (
    !found?.inbound_secret_enc ||
    !safeEqual(decrypt(deps.secretKey, found.inbound_secret_enc), token)
  )
    throw inboundRefused();
  const ctx = createCtx(deps, systemActor(found.organization_id));
  const result = await ctx.tx(async (tx) => {
    const w = await loadWorkflow(ctx, tx, workflowId);
    const def = await published(tx, w);
    if (!def || def.trigger.type !== 'inbound_webhook') throw inboundRefused();
    const data = {
      webhook: { body, receivedAt: deps.clock.now().toISOString() },
      workflow: { id: w.id, name: w.name },
    };
    if (!evaluateConditions(def.conditions, { record: data.webhook }))
      return answer(null, "the request does not meet the workflow's conditions");
    return answer(
      await startRun(
        tx,
        {
          organizationId: ctx.organizationId,
          realtime: deps.realtime,
          now: deps.clock.now(),
          jobs: deps.jobs,
        },
        {
          workflow: { id: w.id, name: w.name, ownerId: w.owner_id },
          version: w.published_version ?? 1,
          definition: def,
          triggerType: 'inbound_webhook',
          data,
          depth: 0,
          dedupeKey: `inbound:${requestKey ?? uuidv7()}`,
        },
      ),
    );
  });
  return result;
}

/** The schedule trigger's job: one run per fire time (the job id is the fire time's dedupe key). */
export const scheduleHandler: JobHandler = {
  name: SCHEDULE_JOB,
  handle: async (job, deps) => {
    const ctx = createCtx(deps, systemActor(job.organizationId));
    await ctx.tx(async (tx) => {
      const w = await loadWorkflow(ctx, tx, String(job.payload.workflowId)).catch(() => null);
      const def = w ? await published(tx, w) : null;
      if (!w || !def || def.trigger.type !== 'schedule') return;
      await startRun(
        tx,
        {
          organizationId: job.organizationId,
          realtime: deps.realtime,
          now: deps.clock.now(),
          jobs: deps.jobs,
        },
        {
          workflow: { id: w.id, name: w.name, ownerId: w.owner_id },
          version: w.published_version ?? 1,
          definition: def,
          triggerType: 'schedule',
          data: { workflow: { id: w.id, name: w.name }, now: deps.clock.now().toISOString() },
          depth: 0,
          dedupeKey: `schedule:${job.id}`,
        },
      );
    });
  },
};
