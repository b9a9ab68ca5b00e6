import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { PipelineStageTable, PipelineTable, SalesTables, StageKind } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

export interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
  rottingDays: number | null;
  requiredFields: string[];
}

export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A stage as given by a client: an id keeps (and renames/reorders) an existing stage. */
export interface StageInput {
  id?: string;
  name: string;
  probability: number;
  kind: StageKind;
  rottingDays?: number | null;
  requiredFields?: string[];
}

export interface PipelineInput {
  name?: string;
  isDefault?: boolean;
  stages?: StageInput[];
}

/** The stages every organization starts with: a classic B2B funnel. */
export const DEFAULT_STAGES: readonly StageInput[] = [
  { name: 'Qualification', probability: 10, kind: 'open', rottingDays: 14 },
  { name: 'Discovery', probability: 25, kind: 'open', rottingDays: 14 },
  {
    name: 'Proposal',
    probability: 50,
    kind: 'open',
    rottingDays: 21,
    requiredFields: ['amount', 'expectedCloseDate'],
  },
  {
    name: 'Negotiation',
    probability: 75,
    kind: 'open',
    rottingDays: 21,
    requiredFields: ['amount', 'expectedCloseDate'],
  },
  { name: 'Closed won', probability: 100, kind: 'won' },
  { name: 'Closed lost', probability: 0, kind: 'lost' },
];

export const presentStage = (s: Selectable<PipelineStageTable>): Stage => ({
  id: s.id,
  name: s.name,
  position: s.position,
  probability: s.probability,
  kind: s.kind,
  rottingDays: s.rotting_days,
  requiredFields: s.required_fields,
});

function presentPipeline(
  p: Selectable<PipelineTable>,
  stages: Selectable<PipelineStageTable>[],
): Pipeline {
  return {
    id: p.id,
    name: p.name,
    isDefault: p.is_default,
    stages: stages
      .filter((s) => s.pipeline_id === p.id)
      .sort((a, b) => a.position - b.position)
      .map(presentStage),
    version: p.version,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

/** A pipeline needs at least one open stage to put deals in, and one won and one lost stage to close them. */
function validateStages(stages: readonly StageInput[]): void {
  const kinds = new Set(stages.map((s) => s.kind));
  for (const k of ['open', 'won', 'lost'] as const) {
    if (!kinds.has(k))
      throw errors.validation([{ path: 'stages', message: `needs at least one ${k} stage` }]);
  }
  const names = stages.map((s) => s.name.trim().toLowerCase());
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup)
    throw errors.validation([
      { path: 'stages', message: `stage names must be unique ("${dup}" twice)` },
    ]);
}

async function loadStages(
  tx: Tx,
  organizationId: string,
  pipelineIds: string[],
): Promise<Selectable<PipelineStageTable>[]> {
  if (pipelineIds.length === 0) return [];
  return db(tx)
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('pipeline_id', 'in', pipelineIds)
    .where('deleted_at', 'is', null)
    .execute();
}

export async function loadPipeline(
  ctx: Ctx,
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<Pipeline> {
  let q = db(tx)
    .selectFrom('pipelines')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Pipeline');
  return presentPipeline(row, await loadStages(tx, ctx.organizationId, [id]));
}

export async function listPipelines(ctx: Ctx): Promise<Pipeline[]> {
  return ctx.tx(async (tx) => {
    const rows = await db(tx)
      .selectFrom('pipelines')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('deleted_at', 'is', null)
      .orderBy('position')
      .orderBy('created_at')
      .execute();
    const stages = await loadStages(
      tx,
      ctx.organizationId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => presentPipeline(r, stages));
  });
}

export const getPipeline = (ctx: Ctx, id: string): Promise<Pipeline> =>
  ctx.tx((tx) => loadPipeline(ctx, tx, id));

/** The organization's default pipeline (where deals go when none is named). */
export async function defaultPipeline(ctx: Ctx, tx: Tx): Promise<Pipeline> {
  const row = await db(tx)
    .selectFrom('pipelines')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('deleted_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('position')
    .executeTakeFirst();
  if (!row)
    throw errors.ruleViolated(
      'SALES_NO_PIPELINE',
      'The organization has no pipeline; create one first',
      [{ path: 'pipelineId', message: 'no pipeline exists' }],
    );
  return loadPipeline(ctx, tx, row.id);
}

async function insertStages(
  tx: Tx,
  organizationId: string,
  pipelineId: string,
  stages: readonly StageInput[],
  from = 0,
): Promise<void> {
  if (stages.length === 0) return;
  await db(tx)
    .insertInto('pipeline_stages')
    .values(
      stages.map((s, i) => ({
        organization_id: organizationId,
        id: s.id ?? uuidv7(),
        pipeline_id: pipelineId,
        name: s.name.trim(),
        position: from + i,
        probability: s.probability,
        kind: s.kind,
        rotting_days: s.rottingDays ?? null,
        required_fields: s.requiredFields ?? [],
      })),
    )
    .execute();
}

/** Creates a pipeline in the given tenant transaction (also used when an organization is set up). */
export async function insertPipeline(
  tx: Tx,
  organizationId: string,
  input: { name: string; isDefault: boolean; stages: readonly StageInput[] },
): Promise<string> {
  validateStages(input.stages);
  const id = uuidv7();
  if (input.isDefault)
    await db(tx)
      .updateTable('pipelines')
      .set({ is_default: false })
      .where('organization_id', '=', organizationId)
      .where('is_default', '=', true)
      .execute();
  await db(tx)
    .insertInto('pipelines')
    .values({
      organization_id: organizationId,
      id,
      name: input.name.trim(),
      is_default: input.isDefault,
    })
    .execute();
  await insertStages(
    tx,
    organizationId,
    id,
    input.stages.map(({ id: _ignored, ...s }) => s),
  );
  return id;
}

export async function createPipeline(
  ctx: Ctx,
  input: { name: string; isDefault?: boolean; stages?: StageInput[] },
): Promise<Pipeline> {
  return ctx.tx(async (tx) => {
    const id = await insertPipeline(tx, ctx.organizationId, {
      name: input.name,
      isDefault: input.isDefault ?? false,
      stages: input.stages ?? DEFAULT_STAGES,
    });
    const pipeline = await loadPipeline(ctx, tx, id);
    await ctx.audit(tx, {
      action: 'pipeline.created',
      targetType: 'pipeline',
      targetId: id,
      diff: { name: { from: null, to: pipeline.name } },
    });
    return pipeline;
  });
}

/**
 * Renames, re-flags and re-stages a pipeline. Stages given with an id are kept (so their deals and
 * history stay), new ones are added, and omitted ones are removed — refused while deals sit there.
 */
export async function updatePipeline(
  ctx: Ctx,
  id: string,
  input: PipelineInput,
  expectedVersion?: number,
): Promise<Pipeline> {
  return ctx.tx(async (tx) => {
    const current = await loadPipeline(ctx, tx, id, true);
    if (expectedVersion !== undefined && expectedVersion !== current.version)
      throw errors.staleVersion();
    if (input.isDefault === false && current.isDefault)
      throw errors.validation([
        { path: 'isDefault', message: 'make another pipeline the default instead' },
      ]);
    if (input.isDefault)
      await db(tx)
        .updateTable('pipelines')
        .set({ is_default: false })
        .where('organization_id', '=', ctx.organizationId)
        .where('is_default', '=', true)
        .execute();
    if (input.stages) {
      validateStages(input.stages);
      const known = new Set(current.stages.map((s) => s.id));
      const unknown = input.stages.find((s) => s.id && !known.has(s.id));
      if (unknown)
        throw errors.validation([
          { path: 'stages', message: `stage ${unknown.id ?? ''} is not in this pipeline` },
        ]);
      const kept = new Set(input.stages.flatMap((s) => (s.id ? [s.id] : [])));
      const removed = current.stages.filter((s) => !kept.has(s.id)).map((s) => s.id);
      if (removed.length) {
        const used = await db(tx)
          .selectFrom('deals')
          .select('stage_id')
          .where('organization_id', '=', ctx.organizationId)
          .where('stage_id', 'in', removed)
          .where('deleted_at', 'is', null)
          .limit(1)
          .executeTakeFirst();
        if (used)
          throw errors.conflict(
            'SALES_STAGE_IN_USE',
            'A removed stage still holds deals; move them first',
            { path: 'stages', stageId: used.stage_id },
          );
        await db(tx)
          .updateTable('pipeline_stages')
          .set({ deleted_at: new Date() })
          .where('organization_id', '=', ctx.organizationId)
          .where('id', 'in', removed)
          .execute();
      }
      for (const [i, s] of input.stages.entries()) {
        if (!s.id) continue;
        await db(tx)
          .updateTable('pipeline_stages')
          .set({
            name: s.name.trim(),
            position: i,
            probability: s.probability,
            kind: s.kind,
            rotting_days: s.rottingDays ?? null,
            required_fields: s.requiredFields ?? [],
          })
          .where('organization_id', '=', ctx.organizationId)
          .where('id', '=', s.id)
          .execute();
      }
      for (const [i, s] of input.stages.entries())
        if (!s.id) await insertStages(tx, ctx.organizationId, id, [s], i);
    }
    await db(tx)
      .updateTable('pipelines')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.isDefault !== undefined ? { is_default: input.isDefault } : {}),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    const after = await loadPipeline(ctx, tx, id);
    await ctx.audit(tx, {
      action: 'pipeline.updated',
      targetType: 'pipeline',
      targetId: id,
      diff: {
        stages: { from: current.stages.map((s) => s.name), to: after.stages.map((s) => s.name) },
      },
    });
    return after;
  });
}

export async function deletePipeline(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadPipeline(ctx, tx, id, true);
    if (current.isDefault)
      throw errors.conflict(
        'SALES_DEFAULT_PIPELINE',
        'The default pipeline cannot be deleted; make another one the default first',
      );
    const used = await db(tx)
      .selectFrom('deals')
      .select('id')
      .where('organization_id', '=', ctx.organizationId)
      .where('pipeline_id', '=', id)
      .where('deleted_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (used)
      throw errors.conflict(
        'SALES_PIPELINE_IN_USE',
        'The pipeline still holds deals; move or delete them first',
      );
    await db(tx)
      .updateTable('pipelines')
      .set({ deleted_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'pipeline.deleted',
      targetType: 'pipeline',
      targetId: id,
      diff: null,
    });
  });
}
