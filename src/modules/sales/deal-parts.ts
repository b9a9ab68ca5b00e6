import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { lineTotal } from './deal-rules.js';
import { defaultListPrices } from './price-lists.js';
import type { SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

export interface DealContact {
  contactId: string;
  role: string | null;
}

export interface LineItem {
  id: string;
  productId: string | null;
  name: string;
  quantity: number;
  unitPrice: number;
  discountPercent: number;
  total: number;
}

export interface LineItemInput {
  productId?: string | null;
  name?: string;
  quantity: number;
  unitPrice?: number;
  discountPercent?: number;
}

/** The contacts and line items of several deals, read in two queries for a whole page. */
export async function loadDealParts(
  tx: Tx,
  organizationId: string,
  dealIds: string[],
): Promise<{ contacts: Map<string, DealContact[]>; lines: Map<string, LineItem[]> }> {
  const contacts = new Map<string, DealContact[]>();
  const lines = new Map<string, LineItem[]>();
  if (dealIds.length === 0) return { contacts, lines };
  const [cs, ls] = await Promise.all([
    db(tx)
      .selectFrom('deal_contacts')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('deal_id', 'in', dealIds)
      .orderBy('contact_id')
      .execute(),
    db(tx)
      .selectFrom('deal_line_items')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('deal_id', 'in', dealIds)
      .orderBy('position')
      .execute(),
  ]);
  for (const c of cs)
    contacts.set(c.deal_id, [
      ...(contacts.get(c.deal_id) ?? []),
      { contactId: c.contact_id, role: c.role },
    ]);
  for (const l of ls) {
    lines.set(l.deal_id, [
      ...(lines.get(l.deal_id) ?? []),
      {
        id: l.id,
        productId: l.product_id,
        name: l.name,
        quantity: Number(l.quantity),
        unitPrice: Number(l.unit_price),
        discountPercent: Number(l.discount_percent),
        total: Number(l.total),
      },
    ]);
  }
  return { contacts, lines };
}

/** Replaces a deal's other contacts (checked beforehand like every link of the deal). */
export async function writeDealContacts(
  ctx: Ctx,
  tx: Tx,
  dealId: string,
  contacts: readonly DealContact[],
): Promise<void> {
  await db(tx)
    .deleteFrom('deal_contacts')
    .where('organization_id', '=', ctx.organizationId)
    .where('deal_id', '=', dealId)
    .execute();
  const unique = [...new Map(contacts.map((c) => [c.contactId, c])).values()];
  if (unique.length)
    await db(tx)
      .insertInto('deal_contacts')
      .values(
        unique.map((c) => ({
          organization_id: ctx.organizationId,
          deal_id: dealId,
          contact_id: c.contactId,
          role: c.role,
        })),
      )
      .execute();
}

/**
 * Replaces a deal's line items and answers their sum. A product line takes the product's name and
 * price unless given: the price of the active default price list of the deal's currency when it
 * lists the product (whatever the product's own currency), else the product's own price, whose
 * currency must then be the deal's.
 */
export async function writeLineItems(
  ctx: Ctx,
  tx: Tx,
  dealId: string,
  currency: string,
  items: readonly LineItemInput[],
): Promise<number> {
  const productIds = items.flatMap((i) => (i.productId ? [i.productId] : []));
  const products = productIds.length
    ? await db(tx)
        .selectFrom('products')
        .selectAll()
        .where('organization_id', '=', ctx.organizationId)
        .where('id', 'in', productIds)
        .where('deleted_at', 'is', null)
        .execute()
    : [];
  const listPrices = await defaultListPrices(
    ctx,
    tx,
    currency,
    items.flatMap((i) => (i.productId && i.unitPrice === undefined ? [i.productId] : [])),
  );
  const rows = items.map((item, i) => {
    const product = item.productId ? products.find((p) => p.id === item.productId) : undefined;
    const listPrice = item.productId ? listPrices.get(item.productId) : undefined;
    if (item.productId && !product)
      throw unknownReferences([
        { path: `lineItems.${i}.productId`, message: unknownReferenceMessage('product') },
      ]);
    if (
      product &&
      product.currency !== currency &&
      item.unitPrice === undefined &&
      listPrice === undefined
    ) {
      throw errors.validation([
        {
          path: `lineItems.${i}.productId`,
          message: `the product is priced in ${product.currency}, the deal in ${currency}; give unitPrice`,
        },
      ]);
    }
    const name = item.name ?? product?.name;
    if (!name)
      throw errors.validation([
        { path: `lineItems.${i}.name`, message: 'is required without a product' },
      ]);
    const unitPrice = item.unitPrice ?? listPrice ?? Number(product?.unit_price ?? 0);
    const discount = item.discountPercent ?? 0;
    return {
      organization_id: ctx.organizationId,
      id: uuidv7(),
      deal_id: dealId,
      product_id: item.productId ?? null,
      name,
      quantity: item.quantity,
      unit_price: unitPrice,
      discount_percent: discount,
      total: lineTotal(item.quantity, unitPrice, discount),
      position: i,
    };
  });
  await db(tx)
    .deleteFrom('deal_line_items')
    .where('organization_id', '=', ctx.organizationId)
    .where('deal_id', '=', dealId)
    .execute();
  if (rows.length) await db(tx).insertInto('deal_line_items').values(rows).execute();
  return rows.reduce((sum, r) => sum + r.total, 0);
}
