import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors, isDomainError } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import {
  matchesSql,
  recordLifecycle,
  type LifecycleHooks,
  type LoadOptions,
  type RecordListPage,
} from '../records/index.js';
import { writeDealContacts, writeLineItems } from './deal-parts.js';
import { assertCanEnter, assertLostReasonFits } from './deal-rules.js';
import { baseCurrencyOf } from './exchange-rates.js';
import { historyVersionKey } from './forecast.js';
import { defaultPipeline, loadPipeline, type Pipeline, type Stage } from './pipelines.js';
import type { SalesTables } from './schema.js';
import {
  isoDate,
  presentDeals,
  stagesById,
  type Deal,
  type DealInput,
  type DealRow,
} from './deal-present.js';
import { DEAL_FIELDS } from './deal-fields.js';

export { presentDeal, presentDeals, type Deal, type DealInput } from './deal-present.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

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
const referencesOf = (input: DealInput) => [
  { field: 'ownerId', kind: 'user', id: input.ownerId },
  { field: 'contactId', kind: 'contact', id: input.contactId },
  { field: 'companyId', kind: 'company', id: input.companyId },
  { field: 'leadId', kind: 'lead', id: input.leadId },
  ...(input.contacts ?? []).map((c, i) => ({
    field: `contacts.${i}.contactId`,
    kind: 'contact',
    id: c.contactId,
  })),
];

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

/** The columns an input sets directly; the pipeline, stage and their consequences are the hooks'. */
function dealColumns(input: DealInput) {
  return {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency.toUpperCase() } : {}),
    ...(input.probability !== undefined ? { probability: input.probability } : {}),
    ...(input.expectedCloseDate !== undefined
      ? { expected_close_date: input.expectedCloseDate }
      : {}),
    ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
    ...(input.contactId !== undefined ? { contact_id: input.contactId } : {}),
    ...(input.companyId !== undefined ? { company_id: input.companyId } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
  };
}

/** The stage a written row is in, whose rules it must meet. */
async function stageOfRow(tx: Tx, row: DealRow): Promise<Stage> {
  const stage = (await stagesById(tx, row.organization_id)).get(row.stage_id);
  if (!stage) throw new Error(`deal ${row.id} is in an unknown stage`);
  return stage;
}

/** Writes the line items (the amount becomes their sum) and the people of a deal. */
async function writeParts(
  ctx: Ctx,
  tx: Tx,
  row: DealRow,
  input: DealInput,
  lines: 'given' | 'replace',
): Promise<DealRow> {
  let written = row;
  // A new deal's empty list is no list; an update's empty list removes every line.
  if (input.lineItems && (input.lineItems.length > 0 || lines === 'replace')) {
    const total = await writeLineItems(ctx, tx, row.id, row.currency, input.lineItems);
    written = await db(tx)
      .updateTable('deals')
      .set({ amount: total })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  if (input.contacts) await writeDealContacts(ctx, tx, row.id, input.contacts);
  return written;
}

/** Announces a stage that closes the deal as `deal.won` or `deal.lost`. */
async function announceClosing(ctx: Ctx, tx: Tx, deal: Deal): Promise<void> {
  if (deal.stage.kind !== 'open')
    await ctx.emit(tx, {
      type: `deal.${deal.stage.kind}`,
      aggregateType: 'deal',
      aggregateId: deal.id,
      payload: { deal },
    });
}

/**
 * Deals' own rules around the shared lifecycle. A new stage must be in the deal's pipeline (or the
 * new pipeline given) and its rules met; entering it is recorded in the stage history and
 * announced as `deal.stage_changed` (plus `deal.won` / `deal.lost` when it closes the deal).
 */
const DEAL_HOOKS: LifecycleHooks<DealRow, Deal, DealInput> = {
  async beforeCreate(ctx, tx, input) {
    const pipeline = input.pipelineId
      ? await pipelineOf(ctx, tx, input.pipelineId)
      : await defaultPipeline(ctx, tx);
    const stage = stageOf(pipeline, input.stageId);
    assertLostReasonFits(stage, input.lostReason);
    const currency = input.currency ?? (await baseCurrencyOf(tx, ctx.organizationId));
    const now = ctx.deps.clock.now();
    return {
      input: { ...input, currency, amount: input.amount ?? 0, tags: input.tags ?? [] },
      columns: {
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        lead_id: input.leadId ?? null,
        lost_reason: stage.kind === 'lost' ? (input.lostReason ?? null) : null,
        closed_at: stage.kind === 'open' ? null : now,
        stage_entered_at: now,
      },
    };
  },
  async afterInsert(ctx, tx, inserted, input) {
    const row = await writeParts(ctx, tx, inserted, input, 'given');
    assertCanEnter(await stageOfRow(tx, row), shapeOf(row));
    await enterStage(ctx, tx, row, null, row.stage_entered_at);
    return row;
  },
  created: (ctx, tx, deal) => announceClosing(ctx, tx, deal),
  async beforeUpdate(ctx, tx, current, input) {
    const pipelineId = input.pipelineId ?? current.pipeline_id;
    const pipeline = await pipelineOf(ctx, tx, pipelineId);
    const stage = stageOf(
      pipeline,
      input.stageId ?? (pipelineId === current.pipeline_id ? current.stage_id : undefined),
    );
    assertLostReasonFits(stage, input.lostReason);
    const now = ctx.deps.clock.now();
    const stageChange = stage.id !== current.stage_id;
    return {
      input,
      columns: {
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        // The reason lives only while the deal is lost: won or reopened, it is cleared.
        lost_reason:
          stage.kind === 'lost'
            ? input.lostReason !== undefined
              ? input.lostReason
              : current.lost_reason
            : null,
        ...(stageChange
          ? { closed_at: stage.kind === 'open' ? null : now, stage_entered_at: now }
          : {}),
      },
    };
  },
  async afterWrite(ctx, tx, current, written, input) {
    const row = await writeParts(ctx, tx, written, input, 'replace');
    if (row.stage_id !== current.stage_id) {
      assertCanEnter(await stageOfRow(tx, row), shapeOf(row));
      await enterStage(ctx, tx, row, current.stage_id, row.stage_entered_at);
    }
    return row;
  },
  async updated(ctx, tx, { before, after, record }) {
    if (after.stage_id === before.stage_id) return;
    await ctx.emit(tx, {
      type: 'deal.stage_changed',
      aggregateType: 'deal',
      aggregateId: record.id,
      payload: { deal: record, fromStageId: before.stage_id, toStageId: after.stage_id },
    });
    await announceClosing(ctx, tx, record);
  },
};

const deals = recordLifecycle<DealRow, Deal, DealInput>({
  key: 'deal',
  resource: 'deals',
  label: 'Deal',
  table: 'deals',
  mergeable: true,
  present: presentDeals,
  columns: dealColumns,
  references: referencesOf,
  // Line items and people are written beside the row: only a record read before the write lets
  // the audit diff and the event's changes show them change.
  presentBeforeWrite: true,
  // Computed from the stage and the clock: a diff would show them change on every read.
  auditOmit: ['rotting', 'stageEnteredAt', 'stage'],
  assignment: { label: (d) => d.name, ownerOf: (d) => d.ownerId },
  // The event keeps naming only the id, as it always has for deals.
  restoredPayload: (d) => ({ id: d.id }),
  list: { fields: DEAL_FIELDS, search: (q) => matchesSql('cerebro_words_deals', q) },
  hooks: DEAL_HOOKS,
});

export const loadDeal = (
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: LoadOptions = {},
): Promise<DealRow> => deals.load(ctx, tx, id, options);

export const getDeal = (ctx: Ctx, id: string): Promise<Deal> => deals.get(ctx, id);

export const createDeal = (ctx: Ctx, input: DealInput & { name: string }): Promise<Deal> =>
  deals.create(ctx, input);

/** Updates a deal; its stage rules are the hooks above. */
export const updateDeal = (
  ctx: Ctx,
  id: string,
  input: DealInput,
  expectedVersion?: number,
): Promise<Deal> => deals.update(ctx, id, input, expectedVersion);

/** Moves a deal to the trash (restorable for 30 days). */
export const deleteDeal = (ctx: Ctx, id: string): Promise<void> => deals.remove(ctx, id);

/** Brings a deal back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export const restoreDeal = (ctx: Ctx, id: string): Promise<Deal> => deals.restore(ctx, id);

export const listDeals = (
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<RecordListPage<Deal>> => deals.list(ctx, rawQuery);

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
