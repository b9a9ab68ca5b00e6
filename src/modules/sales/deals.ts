import { sql, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors, isDomainError } from '../../platform/errors/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import {
  assertReferences,
  unknownReferenceMessage,
  unknownReferences,
} from '../../platform/references/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import {
  assertVersion,
  authorizeCreate,
  listRecords,
  matchesSql,
  validatedCustomFields,
} from '../records/index.js';
import {
  loadDealParts,
  writeDealContacts,
  writeLineItems,
  type DealContact,
  type LineItem,
  type LineItemInput,
} from './deal-parts.js';
import { assertCanEnter, assertLostReasonFits } from './deal-rules.js';
import { baseCurrencyOf } from './exchange-rates.js';
import { historyVersionKey } from './forecast.js';
import { defaultPipeline, loadPipeline, type Pipeline, type Stage } from './pipelines.js';
import type { DealTable, SalesTables } from './schema.js';

const DEAL_TRASH: TrashTarget = { table: 'deals', key: 'deal', label: 'Deal' };

const db = (tx: Tx) => tx.withTables<SalesTables>();
type DealRow = Selectable<DealTable>;

export interface Deal {
  id: string;
  name: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stageId: string;
  stage: { name: string; kind: Stage['kind'] };
  status: Stage['kind'];
  /** The deal's own probability when set, else its stage's. */
  probability: number;
  probabilityOverride: number | null;
  expectedCloseDate: string | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  leadId: string | null;
  contacts: DealContact[];
  lineItems: LineItem[];
  lostReason: string | null;
  closedAt: string | null;
  stageEnteredAt: string;
  /** Sitting in an open stage longer than the stage's rotting days. */
  rotting: boolean;
  tags: string[];
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface DealInput {
  name?: string;
  amount?: number;
  currency?: string;
  pipelineId?: string;
  stageId?: string;
  probability?: number | null;
  expectedCloseDate?: string | null;
  ownerId?: string | null;
  contactId?: string | null;
  companyId?: string | null;
  leadId?: string | null;
  contacts?: DealContact[];
  lineItems?: LineItemInput[];
  lostReason?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

export const DEAL_FIELDS: FieldMap = {
  name: { column: 'name', type: 'text', notNull: true },
  amount: { column: 'amount', type: 'number', notNull: true },
  currency: { column: 'currency', type: 'text', notNull: true },
  pipelineId: { column: 'pipeline_id', type: 'uuid', notNull: true },
  stageId: { column: 'stage_id', type: 'uuid', notNull: true },
  expectedCloseDate: { column: 'expected_close_date', type: 'date' },
  ownerId: { column: 'owner_id', type: 'uuid' },
  contactId: { column: 'contact_id', type: 'uuid' },
  companyId: { column: 'company_id', type: 'uuid' },
  closedAt: { column: 'closed_at', type: 'datetime' },
  tags: { column: 'tags', type: 'tags', sortable: false },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};

const DAY_MS = 86_400_000;
const isoDate = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function presentDeal(
  r: DealRow,
  stage: Stage,
  parts: { contacts: DealContact[]; lines: LineItem[] },
  now: Date,
): Deal {
  return {
    id: r.id,
    name: r.name,
    amount: Number(r.amount),
    currency: r.currency,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    stage: { name: stage.name, kind: stage.kind },
    status: stage.kind,
    probability: r.probability ?? stage.probability,
    probabilityOverride: r.probability,
    expectedCloseDate: isoDate(r.expected_close_date),
    ownerId: r.owner_id,
    contactId: r.contact_id,
    companyId: r.company_id,
    leadId: r.lead_id,
    contacts: parts.contacts,
    lineItems: parts.lines,
    lostReason: r.lost_reason,
    closedAt: r.closed_at?.toISOString() ?? null,
    stageEnteredAt: r.stage_entered_at.toISOString(),
    rotting:
      stage.kind === 'open' &&
      stage.rottingDays !== null &&
      now.getTime() - r.stage_entered_at.getTime() > stage.rottingDays * DAY_MS,
    tags: r.tags,
    customFields: r.custom_fields,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

/** Every stage of the organization by id (deals of several pipelines can share a page). */
async function stagesById(tx: Tx, organizationId: string): Promise<Map<string, Stage>> {
  const rows = await db(tx)
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .execute();
  return new Map(
    rows.map((s) => [
      s.id,
      {
        id: s.id,
        name: s.name,
        position: s.position,
        probability: s.probability,
        kind: s.kind,
        rottingDays: s.rotting_days,
        requiredFields: s.required_fields,
      },
    ]),
  );
}

export async function presentDeals(ctx: Ctx, tx: Tx, rows: DealRow[]): Promise<Deal[]> {
  const [stages, parts] = await Promise.all([
    stagesById(tx, ctx.organizationId),
    loadDealParts(
      tx,
      ctx.organizationId,
      rows.map((r) => r.id),
    ),
  ]);
  const now = ctx.deps.clock.now();
  return rows.map((r) => {
    const stage = stages.get(r.stage_id);
    if (!stage) throw new Error(`deal ${r.id} is in an unknown stage`);
    return presentDeal(
      r,
      stage,
      { contacts: parts.contacts.get(r.id) ?? [], lines: parts.lines.get(r.id) ?? [] },
      now,
    );
  });
}

export async function loadDeal(
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<DealRow> {
  let q = db(tx)
    .selectFrom('deals')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row || (row.deleted_at && !options.includeDeleted)) throw errors.notFound('Deal');
  authorize(ctx, 'deals:read', { ownerId: row.owner_id });
  return row;
}

async function one(ctx: Ctx, tx: Tx, row: DealRow): Promise<Deal> {
  const [deal] = await presentDeals(ctx, tx, [row]);
  if (!deal) throw new Error('unreachable: one row in, one deal out');
  return deal;
}

export const getDeal = (ctx: Ctx, id: string): Promise<Deal> =>
  ctx.tx(async (tx) => one(ctx, tx, await loadDeal(ctx, tx, id)));

function stageOf(pipeline: Pipeline, stageId: string | undefined): Stage {
  const stage = stageId
    ? pipeline.stages.find((s) => s.id === stageId)
    : pipeline.stages.find((s) => s.kind === 'open');
  if (!stage && stageId)
    throw unknownReferences([
      { path: 'stageId', message: "is not a stage of the deal's pipeline" },
    ]);
  if (!stage)
    throw errors.validation([{ path: 'stageId', message: 'the pipeline has no open stage' }]);
  return stage;
}

/** Every record a deal links to must be one of this organization's that the actor may read (422 naming each field). */
async function checkReferences(ctx: Ctx, tx: Tx, input: DealInput): Promise<void> {
  await assertReferences(ctx, tx, [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'contactId', kind: 'contact', id: input.contactId },
    { field: 'companyId', kind: 'company', id: input.companyId },
    { field: 'leadId', kind: 'lead', id: input.leadId },
    ...(input.contacts ?? []).map((c, i) => ({
      field: `contacts.${i}.contactId`,
      kind: 'contact',
      id: c.contactId,
    })),
  ]);
}

/** The deal's pipeline; an unknown one is a bad reference (422), not a missing deal. */
const pipelineOf = (ctx: Ctx, tx: Tx, id: string): Promise<Pipeline> =>
  loadPipeline(ctx, tx, id).catch((err: unknown) => {
    if (isDomainError(err) && err.kind === 'not_found')
      throw unknownReferences([
        { path: 'pipelineId', message: unknownReferenceMessage('pipeline') },
      ]);
    throw err;
  });

/** Opens a stay in a stage (and closes the previous one) — the record velocity and win rates read. */
async function enterStage(
  ctx: Ctx,
  tx: Tx,
  deal: DealRow,
  from: string | null,
  at: Date,
): Promise<void> {
  await ctx.deps.cache.incr(historyVersionKey(ctx.organizationId), 30 * 86_400);
  if (from)
    await db(tx)
      .updateTable('deal_stage_history')
      .set({ left_at: at })
      .where('organization_id', '=', ctx.organizationId)
      .where('deal_id', '=', deal.id)
      .where('left_at', 'is', null)
      .execute();
  await db(tx)
    .insertInto('deal_stage_history')
    .values({
      organization_id: ctx.organizationId,
      id: uuidv7(),
      deal_id: deal.id,
      pipeline_id: deal.pipeline_id,
      stage_id: deal.stage_id,
      from_stage_id: from,
      entered_at: at,
      amount: Number(deal.amount),
      currency: deal.currency,
      owner_id: deal.owner_id,
      changed_by: ctx.actor.userId,
    })
    .execute();
}

function auditable(d: Deal): Record<string, unknown> {
  const {
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    deletedAt: _d,
    rotting: _r,
    stageEnteredAt: _s,
    stage: _st,
    ...rest
  } = d;
  return rest;
}

export async function createDeal(ctx: Ctx, input: DealInput & { name: string }): Promise<Deal> {
  const ownerId = input.ownerId === undefined ? ctx.actor.userId : input.ownerId;
  authorizeCreate(ctx, 'deals:create', ownerId);
  return ctx.tx(async (tx) => {
    await checkReferences(ctx, tx, { ...input, ownerId });
    const pipeline = input.pipelineId
      ? await pipelineOf(ctx, tx, input.pipelineId)
      : await defaultPipeline(ctx, tx);
    const stage = stageOf(pipeline, input.stageId);
    assertLostReasonFits(stage, input.lostReason);
    const currency = (
      input.currency ?? (await baseCurrencyOf(tx, ctx.organizationId))
    ).toUpperCase();
    const custom = (await validatedCustomFields(ctx, tx, 'deal', input.customFields, false)) ?? {};
    const id = uuidv7();
    const now = ctx.deps.clock.now();
    let row = await db(tx)
      .insertInto('deals')
      .values({
        organization_id: ctx.organizationId,
        id,
        name: input.name.trim(),
        amount: input.amount ?? 0,
        currency,
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        probability: input.probability ?? null,
        expected_close_date: input.expectedCloseDate ?? null,
        owner_id: ownerId,
        contact_id: input.contactId ?? null,
        company_id: input.companyId ?? null,
        lead_id: input.leadId ?? null,
        lost_reason: stage.kind === 'lost' ? (input.lostReason ?? null) : null,
        closed_at: stage.kind === 'open' ? null : now,
        stage_entered_at: now,
        tags: input.tags ?? [],
        custom_fields: JSON.stringify(custom),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.lineItems?.length) {
      const total = await writeLineItems(ctx, tx, id, currency, input.lineItems);
      row = await db(tx)
        .updateTable('deals')
        .set({ amount: total })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    if (input.contacts) await writeDealContacts(ctx, tx, id, input.contacts);
    assertCanEnter(stage, shapeOf(row));
    await enterStage(ctx, tx, row, null, now);
    const deal = await one(ctx, tx, row);
    await ctx.audit(tx, {
      action: 'deal.created',
      targetType: 'deal',
      targetId: id,
      diff: fieldDiff(null, auditable(deal)),
    });
    await ctx.emit(tx, {
      type: 'deal.created',
      aggregateType: 'deal',
      aggregateId: id,
      payload: { deal },
    });
    await emitAssigned(
      ctx,
      tx,
      {
        recordType: 'deal',
        recordId: id,
        kind: 'deal',
        label: deal.name,
        ownerId: deal.ownerId,
        previousOwnerId: null,
      },
      { created: true },
    );
    if (stage.kind !== 'open')
      await ctx.emit(tx, {
        type: `deal.${stage.kind}`,
        aggregateType: 'deal',
        aggregateId: id,
        payload: { deal },
      });
    return deal;
  });
}

const shapeOf = (r: DealRow) => ({
  amount: Number(r.amount),
  expectedCloseDate: isoDate(r.expected_close_date),
  contactId: r.contact_id,
  companyId: r.company_id,
  ownerId: r.owner_id,
  probability: r.probability,
  lostReason: r.lost_reason,
  customFields: r.custom_fields,
});

/**
 * Updates a deal. A new stage must be in the deal's pipeline (or the new pipeline given) and its
 * rules met; entering it is recorded in the stage history and announced as `deal.stage_changed`
 * (plus `deal.won` / `deal.lost` when it closes the deal).
 */
export async function updateDeal(
  ctx: Ctx,
  id: string,
  input: DealInput,
  expectedVersion?: number,
): Promise<Deal> {
  return ctx.tx(async (tx) => {
    const current = await loadDeal(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'deals:update', { ownerId: current.owner_id });
    assertVersion(expectedVersion, current.version);
    if (input.ownerId !== undefined && input.ownerId !== current.owner_id)
      authorizeCreate(ctx, 'deals:update', input.ownerId);
    await checkReferences(ctx, tx, input);
    const pipelineId = input.pipelineId ?? current.pipeline_id;
    const pipeline = await pipelineOf(ctx, tx, pipelineId);
    const stageChange =
      input.stageId !== undefined
        ? input.stageId !== current.stage_id
        : pipelineId !== current.pipeline_id;
    const stage = stageOf(
      pipeline,
      input.stageId ?? (pipelineId === current.pipeline_id ? current.stage_id : undefined),
    );
    assertLostReasonFits(stage, input.lostReason);
    const currency = input.currency?.toUpperCase() ?? current.currency;
    const custom = await validatedCustomFields(
      ctx,
      tx,
      'deal',
      input.customFields,
      true,
      current.custom_fields,
    );
    const now = ctx.deps.clock.now();
    const closing = stageChange ? { closed_at: stage.kind === 'open' ? null : now } : {};
    // The reason lives only while the deal is lost: won or reopened, it is cleared.
    const lostReason =
      stage.kind === 'lost'
        ? input.lostReason !== undefined
          ? input.lostReason
          : current.lost_reason
        : null;
    let row = await db(tx)
      .updateTable('deals')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        ...(input.currency !== undefined ? { currency } : {}),
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        ...(input.probability !== undefined ? { probability: input.probability } : {}),
        ...(input.expectedCloseDate !== undefined
          ? { expected_close_date: input.expectedCloseDate }
          : {}),
        ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
        ...(input.contactId !== undefined ? { contact_id: input.contactId } : {}),
        ...(input.companyId !== undefined ? { company_id: input.companyId } : {}),
        ...closing,
        lost_reason: lostReason,
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
        ...(custom !== undefined ? { custom_fields: JSON.stringify(custom) } : {}),
        ...(stageChange ? { stage_entered_at: now } : {}),
        version: current.version + 1,
        updated_at: now,
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.lineItems) {
      const total = await writeLineItems(ctx, tx, id, currency, input.lineItems);
      row = await db(tx)
        .updateTable('deals')
        .set({ amount: total })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    if (input.contacts) await writeDealContacts(ctx, tx, id, input.contacts);
    if (stageChange) {
      assertCanEnter(stage, shapeOf(row));
      await enterStage(ctx, tx, row, current.stage_id, now);
    }
    const after = await one(ctx, tx, row);
    const before = await one(ctx, tx, current);
    const diff = fieldDiff(auditable(before), auditable(after));
    await ctx.audit(tx, { action: 'deal.updated', targetType: 'deal', targetId: id, diff });
    await ctx.emit(tx, {
      type: 'deal.updated',
      aggregateType: 'deal',
      aggregateId: id,
      payload: { deal: after, changes: diff },
    });
    await emitAssigned(ctx, tx, {
      recordType: 'deal',
      recordId: id,
      kind: 'deal',
      label: after.name,
      ownerId: after.ownerId,
      previousOwnerId: current.owner_id,
    });
    if (stageChange) {
      await ctx.emit(tx, {
        type: 'deal.stage_changed',
        aggregateType: 'deal',
        aggregateId: id,
        payload: { deal: after, fromStageId: current.stage_id, toStageId: stage.id },
      });
      if (stage.kind !== 'open')
        await ctx.emit(tx, {
          type: `deal.${stage.kind}`,
          aggregateType: 'deal',
          aggregateId: id,
          payload: { deal: after },
        });
    }
    return after;
  });
}

/** Moves a deal to the trash (restorable for 30 days). */
export async function deleteDeal(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadDeal(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'deals:delete', { ownerId: current.owner_id });
    await moveToTrash(ctx, tx, DEAL_TRASH, current);
  });
}

/** Brings a deal back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export async function restoreDeal(ctx: Ctx, id: string): Promise<Deal> {
  return ctx.tx(async (tx) => {
    const current = await loadDeal(ctx, tx, id, { forUpdate: true, includeDeleted: true });
    authorize(ctx, 'deals:delete', { ownerId: current.owner_id });
    // The event keeps naming only the id, as it always has for deals.
    return takeOutOfTrash(
      ctx,
      tx,
      DEAL_TRASH,
      current,
      async () => one(ctx, tx, await loadDeal(ctx, tx, id)),
      () => ({ id }),
    );
  });
}

export async function listDeals(
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<{ data: Deal[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, 'deals:read');
  return ctx.tx(async (tx) => {
    const page = await listRecords<DealRow>(
      ctx,
      tx,
      {
        table: 'deals',
        objectType: 'deal',
        permission: 'deals:read',
        mergeable: false,
        fields: DEAL_FIELDS,
        search: (q) => matchesSql('cerebro_words_deals', q),
      },
      rawQuery,
    );
    return {
      data: await presentDeals(ctx, tx, page.rows),
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}

/** Open deals whose expected close date is in [from, to) (dates, YYYY-MM-DD): relative-date workflow triggers. */
export async function dealsClosingBetween(ctx: Ctx, from: string, to: string): Promise<Deal[]> {
  authorize(ctx, 'deals:read');
  return ctx.tx(async (tx) => {
    const rows = await db(tx)
      .selectFrom('deals')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('deleted_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('expected_close_date', '>=', sql<Date>`${from}::date`)
      .where('expected_close_date', '<', sql<Date>`${to}::date`)
      .limit(5000)
      .execute();
    return presentDeals(ctx, tx, rows);
  });
}
