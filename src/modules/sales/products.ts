import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { ProductTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

export interface Product {
  id: string;
  name: string;
  sku: string | null;
  unitPrice: number;
  currency: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface ProductInput {
  name?: string;
  sku?: string | null;
  unitPrice?: number;
  currency?: string;
  active?: boolean;
}

const present = (p: Selectable<ProductTable>): Product => ({
  id: p.id,
  name: p.name,
  sku: p.sku,
  unitPrice: Number(p.unit_price),
  currency: p.currency,
  active: p.active,
  version: p.version,
  createdAt: p.created_at.toISOString(),
  updatedAt: p.updated_at.toISOString(),
});

async function assertSkuFree(
  ctx: Ctx,
  tx: Tx,
  sku: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (!sku) return;
  let q = db(tx)
    .selectFrom('products')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb(eb.fn('lower', ['sku']), '=', sku.toLowerCase()));
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst())
    throw errors.conflict('SALES_SKU_TAKEN', `A product with SKU ${sku} exists`, { path: 'sku' });
}

export async function listProducts(ctx: Ctx): Promise<Product[]> {
  authorize(ctx, 'products:read');
  return ctx.tx(async (tx) =>
    (
      await db(tx)
        .selectFrom('products')
        .selectAll()
        .where('organization_id', '=', ctx.organizationId)
        .where('deleted_at', 'is', null)
        .orderBy('name')
        .execute()
    ).map(present),
  );
}

export async function createProduct(
  ctx: Ctx,
  input: ProductInput & { name: string; unitPrice: number; currency: string },
): Promise<Product> {
  authorize(ctx, 'products:create');
  return ctx.tx(async (tx) => {
    await assertSkuFree(ctx, tx, input.sku);
    const row = await db(tx)
      .insertInto('products')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        name: input.name.trim(),
        sku: input.sku ?? null,
        unit_price: input.unitPrice,
        currency: input.currency.toUpperCase(),
        active: input.active ?? true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'product.created',
      targetType: 'product',
      targetId: row.id,
      diff: { name: { from: null, to: row.name } },
    });
    return present(row);
  });
}

async function load(ctx: Ctx, tx: Tx, id: string) {
  const row = await db(tx)
    .selectFrom('products')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound('Product');
  return row;
}

export async function updateProduct(
  ctx: Ctx,
  id: string,
  input: ProductInput,
  expectedVersion?: number,
): Promise<Product> {
  authorize(ctx, 'products:update');
  return ctx.tx(async (tx) => {
    const current = await load(ctx, tx, id);
    if (expectedVersion !== undefined && expectedVersion !== current.version)
      throw errors.staleVersion();
    await assertSkuFree(ctx, tx, input.sku, id);
    const row = await db(tx)
      .updateTable('products')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.sku !== undefined ? { sku: input.sku } : {}),
        ...(input.unitPrice !== undefined ? { unit_price: input.unitPrice } : {}),
        ...(input.currency !== undefined ? { currency: input.currency.toUpperCase() } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'product.updated',
      targetType: 'product',
      targetId: id,
      diff: null,
    });
    return present(row);
  });
}

export async function deleteProduct(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'products:delete');
  await ctx.tx(async (tx) => {
    await load(ctx, tx, id);
    await db(tx)
      .updateTable('products')
      .set({ deleted_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'product.deleted',
      targetType: 'product',
      targetId: id,
      diff: null,
    });
  });
}
