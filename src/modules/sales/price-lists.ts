import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { isUniqueViolation, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import type { PriceListTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

/** One product's price in a list, in the list's currency's minor units. */
export interface PriceListEntry {
  productId: string;
  unitPrice: number;
}

/**
 * A named set of product prices in one currency. The default list of a currency prices the
 * product lines of deals in that currency (deal-parts.ts); products it leaves out keep their own.
 */
export interface PriceList {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  active: boolean;
  entries: PriceListEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PriceListInput {
  /** What people call the list, e.g. "Partners 2027". */
  name?: string;
  /** ISO 4217 code of every entry's price. */
  currency?: string;
  /** Makes this the currency's default, demoting the one before it. */
  isDefault?: boolean;
  /** An inactive list is kept but prices nothing. */
  active?: boolean;
  /** When given, replaces every entry of the list. */
  entries?: PriceListEntry[];
}

const EVENTS = {
  created: 'price_list.created',
  updated: 'price_list.updated',
  deleted: 'price_list.deleted',
} as const;

const present = (row: Selectable<PriceListTable>, entries: PriceListEntry[]): PriceList => ({
  id: row.id,
  name: row.name,
  currency: row.currency,
  isDefault: row.is_default,
  active: row.active,
  entries,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** What the audit log compares between two versions of a list. */
const auditable = (p: PriceList | null) =>
  p && {
    name: p.name,
    currency: p.currency,
    isDefault: p.isDefault,
    active: p.active,
    entries: p.entries,
  };

/** The entries of the given lists, by list; entries of products now in the trash are left out. */
async function entriesOf(
  ctx: Ctx,
  tx: Tx,
  listIds: readonly string[],
): Promise<Map<string, PriceListEntry[]>> {
  const byList = new Map<string, PriceListEntry[]>(listIds.map((id) => [id, []]));
  if (listIds.length === 0) return byList;
  const rows = await db(tx)
    .selectFrom('price_list_entries as e')
    .innerJoin('products as p', (j) =>
      j.onRef('p.organization_id', '=', 'e.organization_id').onRef('p.id', '=', 'e.product_id'),
    )
    .select(['e.price_list_id', 'e.product_id', 'e.unit_price'])
    .where('e.organization_id', '=', ctx.organizationId)
    .where('e.price_list_id', 'in', listIds)
    .where('p.deleted_at', 'is', null)
    .orderBy('p.name')
    .execute();
  for (const r of rows)
    byList.get(r.price_list_id)?.push({ productId: r.product_id, unitPrice: Number(r.unit_price) });
  return byList;
}

/** Refuses (422, naming `entries.N.productId`) a product listed twice or not in the organization. */
async function assertEntries(ctx: Ctx, tx: Tx, entries: readonly PriceListEntry[]): Promise<void> {
  const seen = new Set<string>();
  const twice = entries.flatMap((e, i) => {
    const repeated = seen.has(e.productId);
    seen.add(e.productId);
    return repeated ? [{ path: `entries.${i}.productId`, message: 'is already in this list' }] : [];
  });
  if (twice.length)
    throw errors.ruleViolated(
      'SALES_PRICE_LIST_DUPLICATE_PRODUCT',
      'A product can have one price per list',
      twice,
    );
  if (seen.size === 0) return;
  const found = new Set(
    (
      await db(tx)
        .selectFrom('products')
        .select('id')
        .where('organization_id', '=', ctx.organizationId)
        .where('id', 'in', [...seen])
        .where('deleted_at', 'is', null)
        .execute()
    ).map((p) => p.id),
  );
  const unknown = entries.flatMap((e, i) =>
    found.has(e.productId)
      ? []
      : [{ path: `entries.${i}.productId`, message: unknownReferenceMessage('product') }],
  );
  if (unknown.length) throw unknownReferences(unknown);
}

async function writeEntries(ctx: Ctx, tx: Tx, listId: string, entries: readonly PriceListEntry[]) {
  await db(tx)
    .deleteFrom('price_list_entries')
    .where('organization_id', '=', ctx.organizationId)
    .where('price_list_id', '=', listId)
    .execute();
  if (entries.length)
    await db(tx)
      .insertInto('price_list_entries')
      .values(
        entries.map((e) => ({
          organization_id: ctx.organizationId,
          price_list_id: listId,
          product_id: e.productId,
          unit_price: e.unitPrice,
        })),
      )
      .execute();
}

/**
 * Two lists made the default of one currency at the same moment both demote nothing and the unique
 * index refuses the second: a 409 to retry, not a 500.
 */
async function guardDefault<T>(currency: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e))
      throw errors.conflict(
        'SALES_PRICE_LIST_DEFAULT_TAKEN',
        `Another ${currency} price list became the default meanwhile; try again`,
        { path: 'isDefault' },
      );
    throw e;
  }
}

/** A second default in a currency demotes the first, as a new default pipeline does. */
async function demoteDefault(ctx: Ctx, tx: Tx, currency: string, exceptId: string) {
  await db(tx)
    .updateTable('price_lists')
    .set((eb) => ({ is_default: false, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('organization_id', '=', ctx.organizationId)
    .where('currency', '=', currency)
    .where('is_default', '=', true)
    .where('deleted_at', 'is', null)
    .where('id', '<>', exceptId)
    .execute();
}

async function loadRow(ctx: Ctx, tx: Tx, id: string, lock = false) {
  let q = db(tx)
    .selectFrom('price_lists')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Price list');
  return row;
}

async function load(ctx: Ctx, tx: Tx, id: string): Promise<PriceList> {
  const row = await loadRow(ctx, tx, id);
  return present(row, (await entriesOf(ctx, tx, [id])).get(id) ?? []);
}

/** Every live price list, defaults first, then by currency and name. */
export async function listPriceLists(ctx: Ctx): Promise<PriceList[]> {
  authorize(ctx, 'products:read');
  return ctx.tx(async (tx) => {
    const rows = await db(tx)
      .selectFrom('price_lists')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('deleted_at', 'is', null)
      .orderBy('is_default', 'desc')
      .orderBy('currency')
      .orderBy('name')
      .execute();
    const entries = await entriesOf(
      ctx,
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => present(r, entries.get(r.id) ?? []));
  });
}

export async function getPriceList(ctx: Ctx, id: string): Promise<PriceList> {
  authorize(ctx, 'products:read');
  return ctx.tx((tx) => load(ctx, tx, id));
}

export async function createPriceList(
  ctx: Ctx,
  input: PriceListInput & { name: string; currency: string },
): Promise<PriceList> {
  authorize(ctx, 'products:create');
  return ctx.tx(async (tx) => {
    const entries = input.entries ?? [];
    await assertEntries(ctx, tx, entries);
    const id = uuidv7();
    const currency = input.currency.toUpperCase();
    if (input.isDefault) await demoteDefault(ctx, tx, currency, id);
    await guardDefault(currency, () =>
      db(tx)
        .insertInto('price_lists')
        .values({
          organization_id: ctx.organizationId,
          id,
          name: input.name.trim(),
          currency,
          is_default: input.isDefault ?? false,
          active: input.active ?? true,
        })
        .execute(),
    );
    await writeEntries(ctx, tx, id, entries);
    const list = await load(ctx, tx, id);
    await ctx.audit(tx, {
      action: EVENTS.created,
      targetType: 'price_list',
      targetId: id,
      diff: fieldDiff(null, auditable(list)),
    });
    await ctx.emit(tx, {
      type: EVENTS.created,
      aggregateType: 'price_list',
      aggregateId: id,
      payload: { priceList: list },
    });
    return list;
  });
}

export async function updatePriceList(
  ctx: Ctx,
  id: string,
  input: PriceListInput,
  expectedVersion?: number,
): Promise<PriceList> {
  authorize(ctx, 'products:update');
  return ctx.tx(async (tx) => {
    const row = await loadRow(ctx, tx, id, true);
    if (expectedVersion !== undefined && expectedVersion !== row.version)
      throw errors.staleVersion();
    const before = await load(ctx, tx, id);
    if (input.entries) await assertEntries(ctx, tx, input.entries);
    const currency = input.currency?.toUpperCase() ?? row.currency;
    if (input.isDefault ?? row.is_default) await demoteDefault(ctx, tx, currency, id);
    await guardDefault(currency, () =>
      db(tx)
        .updateTable('price_lists')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          currency,
          ...(input.isDefault !== undefined ? { is_default: input.isDefault } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
          version: row.version + 1,
          updated_at: new Date(),
        })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', id)
        .execute(),
    );
    if (input.entries) await writeEntries(ctx, tx, id, input.entries);
    const after = await load(ctx, tx, id);
    await ctx.audit(tx, {
      action: EVENTS.updated,
      targetType: 'price_list',
      targetId: id,
      diff: fieldDiff(auditable(before), auditable(after)),
    });
    await ctx.emit(tx, {
      type: EVENTS.updated,
      aggregateType: 'price_list',
      aggregateId: id,
      payload: { priceList: after },
    });
    return after;
  });
}

/** Soft-deletes a list, as products are; deals priced from it keep their prices. */
export async function deletePriceList(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'products:delete');
  await ctx.tx(async (tx) => {
    await loadRow(ctx, tx, id, true);
    await db(tx)
      .updateTable('price_lists')
      .set({ deleted_at: new Date(), is_default: false })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: EVENTS.deleted,
      targetType: 'price_list',
      targetId: id,
      diff: null,
    });
    await ctx.emit(tx, {
      type: EVENTS.deleted,
      aggregateType: 'price_list',
      aggregateId: id,
      payload: { priceListId: id },
    });
  });
}

/**
 * The prices the currency's active default list gives the products (those it lists); the deal's
 * line items use them before a product's own price. Read in the caller's transaction, unguarded:
 * whoever may edit a deal may price it.
 */
export async function defaultListPrices(
  ctx: Ctx,
  tx: Tx,
  currency: string,
  productIds: readonly string[],
): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await db(tx)
    .selectFrom('price_list_entries as e')
    .innerJoin('price_lists as l', (j) =>
      j.onRef('l.organization_id', '=', 'e.organization_id').onRef('l.id', '=', 'e.price_list_id'),
    )
    .select(['e.product_id', 'e.unit_price'])
    .where('e.organization_id', '=', ctx.organizationId)
    .where('e.product_id', 'in', productIds)
    .where('l.currency', '=', currency)
    .where('l.is_default', '=', true)
    .where('l.active', '=', true)
    .where('l.deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.product_id, Number(r.unit_price)]));
}
