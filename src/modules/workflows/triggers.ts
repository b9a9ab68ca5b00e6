import type { Consumer, Ctx } from '../../platform/context/index.js';
import { oncePerTransaction, type Tx } from '../../platform/db/index.js';
import type { DomainEvent } from '../../platform/outbox/index.js';
import { evaluateConditions } from './conditions.js';
import { type Definition, type Trigger, type WorkflowObject } from './definition.js';
import { readPath } from './fields.js';
import { startRun } from './runs.js';
import { proceed } from './step-run.js';
import type { WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();

/** The record events workflows start on: those of every object, an admin's own included. */
export const TRIGGER_EVENT_TYPES: readonly string[] = [
  '*.created',
  '*.updated',
  '*.deleted',
  'deal.stage_changed',
];

/** The fields an update changed, as API names; custom fields as `custom.<key>`. */
export function changedFields(changes: unknown): string[] {
  if (!changes || typeof changes !== 'object') return [];
  const out: string[] = [];
  for (const [key, diff] of Object.entries(
    changes as Record<string, { from?: unknown; to?: unknown }>,
  )) {
    out.push(key);
    if (key === 'customFields' && diff && typeof diff === 'object') {
      const from = (diff.from ?? {}) as Record<string, unknown>;
      const to = (diff.to ?? {}) as Record<string, unknown>;
      for (const k of new Set([...Object.keys(from), ...Object.keys(to)]))
        if (JSON.stringify(from[k]) !== JSON.stringify(to[k])) out.push(`custom.${k}`);
    }
  }
  return out;
}

/** The record an event is about, from its payload (`{ contact }`, `{ deal }`, or `{ id }` for deletions). */
function recordOf(event: DomainEvent, object: WorkflowObject): Record<string, unknown> | null {
  const r = event.payload[object];
  if (r && typeof r === 'object') return r as Record<string, unknown>;
  return event.aggregateId ? { id: event.aggregateId } : null;
}

/** Whether a trigger fires for an event (beyond its type, which the index already matched). */
export function triggerMatches(
  trigger: Trigger,
  event: DomainEvent,
  record: Record<string, unknown>,
  changed: readonly string[],
): boolean {
  switch (trigger.type) {
    case 'record_updated': {
      if (trigger.fields.length && !trigger.fields.some((f) => changed.includes(f))) return false;
      if (trigger.toValue === undefined) return true;
      const value = readPath(record, trigger.fields[0] ?? '');
      return JSON.stringify(value ?? null) === JSON.stringify(trigger.toValue);
    }
    case 'deal_stage_changed':
      return (
        (!trigger.pipelineId || record.pipelineId === trigger.pipelineId) &&
        (!trigger.toStageId || event.payload.toStageId === trigger.toStageId)
      );
    case 'form_submitted':
      return (
        typeof record.formId === 'string' && (!trigger.formId || record.formId === trigger.formId)
      );
    case 'record_created':
    case 'record_deleted':
      return true;
    default:
      return false;
  }
}

/**
 * Starts the runs an event triggers, in the consumer's transaction (with the record of the event
 * id, so a redelivered event starts nothing twice; the run's dedupe key says the same again).
 */
async function startTriggeredRuns(ctx: Ctx, tx: Tx, event: DomainEvent): Promise<void> {
  const workflows = await oncePerTransaction(
    tx,
    `workflows:${ctx.organizationId}:${event.type}`,
    () =>
      db(tx)
        .selectFrom('workflows as w')
        .innerJoin('workflow_versions as v', (j) =>
          j
            .onRef('v.organization_id', '=', 'w.organization_id')
            .onRef('v.workflow_id', '=', 'w.id')
            .onRef('v.version', '=', 'w.published_version'),
        )
        .select(['w.id', 'w.name', 'w.owner_id', 'v.version', 'v.definition'])
        .where('w.organization_id', '=', ctx.organizationId)
        .where('w.trigger_key', '=', event.type)
        .where('w.enabled', '=', true)
        .where('w.deleted_at', 'is', null)
        .execute(),
  );
  if (workflows.length === 0) return;
  const object = event.type.split('.')[0] as WorkflowObject;
  const record = recordOf(event, object);
  if (!record) return;
  const changes = event.payload.changes ?? null;
  const changed = changedFields(changes);
  for (const w of workflows) {
    const def: Definition = w.definition;
    if (!triggerMatches(def.trigger, event, record, changed)) continue;
    if (!evaluateConditions(def.conditions, { record, changed })) continue;
    const env = {
      organizationId: ctx.organizationId,
      realtime: ctx.deps.realtime,
      now: ctx.deps.clock.now(),
      jobs: ctx.deps.jobs,
    };
    const run = await startRun(
      tx,
      env,
      {
        workflow: { id: w.id, name: w.name, ownerId: w.owner_id },
        version: w.version,
        definition: def,
        triggerType: def.trigger.type,
        eventId: event.id,
        record: typeof record.id === 'string' ? { type: object, id: record.id } : null,
        data: {
          record,
          [object]: record,
          changes,
          event: { id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString() },
          workflow: { id: w.id, name: w.name },
        },
        depth: event.causation?.depth ?? 0,
        dedupeKey: `event:${event.id}`,
      },
      'caller',
    );
    // The run's database steps are performed right here, with the event that started it.
    if (run?.status === 'running')
      await proceed(
        ctx,
        tx,
        env,
        { kind: 'ready', run, step: def.steps.find((s) => s.id === run.current_step) },
        { definition: def, workflow: { name: w.name, ownerId: w.owner_id } },
      );
  }
}

/** Starts workflow runs on record events. */
export const triggerConsumer: Consumer = {
  name: 'workflows.triggers',
  types: TRIGGER_EVENT_TYPES,
  handle: (ctx, event) => ctx.tx((tx) => startTriggeredRuns(ctx, tx, event)),
};
