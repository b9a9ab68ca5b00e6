import { sql } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import { decrypt } from '../../platform/crypto/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError } from '../../platform/errors/index.js';
import { OutboundError, safeRequest } from '../../platform/http/safe-fetch.js';
import { signatureHeader } from '../automation/index.js';
import { teamMemberIds } from '../identity/index.js';
import { notify } from '../notifications/index.js';
import { findObject } from '../../platform/objects/index.js';
import { canLinkActivities, createActivity } from '../records/index.js';
import type { Step, WorkflowObject } from './definition.js';
import { sendStepEmail } from './email-job.js';
import {
  createRecord,
  ownerFieldOf,
  readRecord,
  updateRecord,
  type RecordData,
} from './objects.js';
import type { PlannedStep, RunData } from './plan.js';
import type { WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();

/** The run a step belongs to, as the effects need it. */
export interface StepRun {
  id: string;
  workflowId: string;
  seq: number;
  object: WorkflowObject | null;
  recordId: string | null;
}

/** What a performed step produced: its output for the log, and data to merge into the run's. */
export interface Performed {
  output: Record<string, unknown>;
  data?: RunData;
}

/** A failure no retry can fix (bad values, a refused address): the run fails at once. */
export class PermanentStepError extends Error {}

/**
 * The link of a task created by a run to its trigger record, where activities can link to records
 * of its object (a contact, a deal, an admin's project — not another activity).
 */
async function taskLinks(
  ctx: Ctx,
  tx: Tx,
  run: StepRun,
): Promise<Array<{ objectType: string; recordId: string }>> {
  if (!run.object || !run.recordId) return [];
  const object = await findObject(ctx.deps.modules, tx, ctx.organizationId, run.object);
  return object && canLinkActivities(object)
    ? [{ objectType: run.object, recordId: run.recordId }]
    : [];
}

function requireRecord(run: StepRun): { object: WorkflowObject; id: string } {
  if (!run.object || !run.recordId)
    throw new PermanentStepError('this step needs a trigger record');
  return { object: run.object, id: run.recordId };
}

/** The run data of a changed trigger record, so later steps and branches see the change. */
const refreshed = (object: WorkflowObject, record: RecordData): RunData => ({
  record,
  [object]: record,
});

/** Takes the next member of a team in turn; the position row is locked, so concurrent runs take different members. */
async function nextInTurn(
  ctx: Ctx,
  tx: Tx,
  workflowId: string,
  stepId: string,
  teamId: string,
): Promise<string> {
  const members = (await teamMemberIds(ctx, tx, teamId)).sort();
  if (members.length === 0) throw new PermanentStepError('the team has no members to assign to');
  await db(tx)
    .insertInto('workflow_cursors')
    .values({
      organization_id: ctx.organizationId,
      workflow_id: workflowId,
      step_id: stepId,
      position: 0,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const cursor = await db(tx)
    .updateTable('workflow_cursors')
    .set({ position: sql<number>`position + 1` })
    .where('organization_id', '=', ctx.organizationId)
    .where('workflow_id', '=', workflowId)
    .where('step_id', '=', stepId)
    .returning('position')
    .executeTakeFirstOrThrow();
  return members[(cursor.position - 1) % members.length] ?? members[0] ?? '';
}

/**
 * Performs a step's database effect in `tx` — the same transaction that logs the step as done and
 * moves the run on, so the effect happens exactly once however often the job runs.
 */
export async function performInTx(
  ctx: Ctx,
  tx: Tx,
  run: StepRun,
  step: Step,
  plan: PlannedStep,
): Promise<Performed> {
  const input = plan.input;
  switch (step.type) {
    case 'create_record': {
      const created = await createRecord(ctx, step.object, input.values as Record<string, unknown>);
      return {
        output: { object: step.object, id: created.id },
        data: { steps: { [step.id]: { id: created.id, object: step.object } } },
      };
    }
    case 'update_record': {
      const { object, id } = requireRecord(run);
      const updated = await updateRecord(ctx, object, id, input.values as Record<string, unknown>);
      return {
        output: { object, id, fields: Object.keys(input.values as object) },
        data: refreshed(object, updated),
      };
    }
    case 'create_task': {
      const links = await taskLinks(ctx, tx, run);
      const task = await createActivity(ctx, {
        type: 'task',
        subject: String(input.subject),
        body: (input.body as string | null) ?? null,
        dueAt: (input.dueAt as string | null) ?? null,
        assigneeId: (input.assigneeId as string | null) ?? null,
        ...(links.length ? { links } : {}),
      });
      return { output: { taskId: task.id }, data: { steps: { [step.id]: { id: task.id } } } };
    }
    case 'assign_owner': {
      const { object, id } = requireRecord(run);
      const ownerId =
        step.strategy === 'user'
          ? (step.userId ?? '')
          : await nextInTurn(ctx, tx, run.workflowId, step.id, step.teamId ?? '');
      const updated = await updateRecord(ctx, object, id, { [ownerFieldOf(object)]: ownerId });
      return { output: { ownerId }, data: refreshed(object, updated) };
    }
    case 'add_tag':
    case 'remove_tag': {
      const { object, id } = requireRecord(run);
      const current = await readRecord(ctx, object, id);
      const tags = Array.isArray(current.tags) ? (current.tags as string[]) : [];
      const next =
        step.type === 'add_tag'
          ? [...new Set([...tags, step.tag])]
          : tags.filter((t) => t !== step.tag);
      if (next.length === tags.length && next.every((t, i) => t === tags[i]))
        return { output: { tags, changed: false } };
      // The tags are read, changed and written back: another run tagging the same record at once
      // would be overwritten, so the write names the version read and a clash retries the step.
      const updated = await updateRecord(
        ctx,
        object,
        id,
        { tags: next },
        typeof current.version === 'number' ? current.version : undefined,
      );
      return { output: { tags: next, changed: true }, data: refreshed(object, updated) };
    }
    case 'send_email': {
      const host = new URL(ctx.deps.config.http.publicUrl).hostname;
      await sendStepEmail(ctx, tx, {
        organizationId: ctx.organizationId,
        to: String(input.to),
        subject: String(input.subject),
        text: String(input.text),
        html: String(input.html),
        messageId: `<wf-${run.id}-${run.seq}@${host}>`,
      });
      return { output: { to: input.to, subject: input.subject } };
    }
    case 'notify': {
      const n = await notify(ctx.deps.realtime, tx, ctx.organizationId, {
        userId: String(input.userId),
        type: 'workflow.notification',
        title: String(input.title),
        body: (input.body as string | null) ?? null,
        link: null,
      });
      return { output: { notificationId: n.id } };
    }
    case 'call_webhook':
    case 'wait':
    case 'branch':
    case 'stop':
      return { output: plan.input };
  }
}

/**
 * Calls a workflow's webhook, outside any transaction (a slow receiver must not hold the database).
 * It carries an Idempotency-Key fixed per run and step: when a worker dies after the call but
 * before recording it, the retry sends the same key and the receiver can drop the duplicate.
 */
export async function callWebhook(
  ctx: Ctx,
  run: StepRun,
  signingSecretEnc: string,
  plan: PlannedStep,
): Promise<Performed> {
  const body = String(plan.input.body);
  const key = `${run.id}:${run.seq}`;
  try {
    const res = await safeRequest({
      url: String(plan.input.url),
      method: 'POST',
      body,
      timeoutMs: 10_000,
      maxResponseBytes: 2048,
      allowHosts: ctx.deps.config.outboundAllowHosts,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Cerebro-Workflows/1',
        'idempotency-key': key,
        'x-cerebro-delivery': key,
        'x-cerebro-signature': signatureHeader(
          decrypt(ctx.deps.secretKey, signingSecretEnc),
          Math.floor(ctx.deps.clock.now().getTime() / 1000),
          body,
        ),
      },
    });
    if (res.status < 200 || res.status >= 300)
      throw new Error(`the receiver answered ${res.status}`);
    return {
      output: { status: res.status, response: res.body.replaceAll('\u0000', '').slice(0, 2048) },
    };
  } catch (e) {
    if (e instanceof OutboundError && e.reason === 'refused')
      throw new PermanentStepError(`refused: ${e.message}`);
    throw e;
  }
}

/** Whether an error can only repeat on retry: bad input, a rule, a missing or forbidden record. */
export function isPermanent(e: unknown): boolean {
  if (e instanceof PermanentStepError) return true;
  return (
    e instanceof DomainError &&
    ['validation', 'malformed', 'rule_violated', 'not_found', 'forbidden', 'conflict'].includes(
      e.kind,
    )
  );
}
