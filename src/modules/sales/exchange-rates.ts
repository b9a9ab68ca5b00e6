import { sql } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';

/** The organization's base currency and the rates of other currencies to it. */
export interface ExchangeRates {
  base: string;
  /** `{ EUR: 1.08 }`: 1 EUR is worth 1.08 base units. The base itself is never listed (it is 1). */
  rates: Record<string, number>;
}

/** The organization's base currency: every converted total is in it. */
export async function baseCurrencyOf(tx: Tx, organizationId: string): Promise<string> {
  const r = await sql<{
    base_currency: string;
  }>`select base_currency from organizations where id = ${organizationId}`.execute(tx);
  return r.rows[0]?.base_currency ?? 'USD';
}

/**
 * The SQL rate of `currency` (a column) to the base: 1 for the base itself — even if an old row
 * says otherwise — the stored rate for others, null when there is none (the caller reports those
 * apart instead of counting them 1:1). Needs `left join exchange_rates x`.
 */
export const rateSql = (currencyColumn: string, base: string) =>
  sql<number | null>`case when ${sql.ref(currencyColumn)} = ${base} then 1 else x.rate end`;

async function readRates(tx: Tx, organizationId: string): Promise<ExchangeRates> {
  const base = await baseCurrencyOf(tx, organizationId);
  const rows = await sql<{ currency: string; rate: string }>`
    select currency, rate from exchange_rates where organization_id = ${organizationId} and currency <> ${base} order by currency`.execute(
    tx,
  );
  return { base, rates: Object.fromEntries(rows.rows.map((r) => [r.currency, Number(r.rate)])) };
}

/** Rates to the base currency, as reports use them. */
export async function listExchangeRates(ctx: Ctx): Promise<ExchangeRates> {
  authorize(ctx, 'deals:read');
  return ctx.tx((tx) => readRates(tx, ctx.organizationId));
}

/** A rate for the base itself would scale every base-currency total; it is always 1. */
function assertNoBaseRate(base: string, currencies: readonly string[]): void {
  if (currencies.includes(base)) {
    throw errors.ruleViolated(
      'SALES_RATE_FOR_BASE_CURRENCY',
      `${base} is the base currency; its rate is always 1`,
      [{ path: `rates.${base}`, message: `is the base currency (always 1); leave it out` }],
    );
  }
}

async function writeRates(
  tx: Tx,
  organizationId: string,
  rates: Record<string, number>,
): Promise<void> {
  for (const [currency, rate] of Object.entries(rates)) {
    await sql`insert into exchange_rates (organization_id, currency, rate) values (${organizationId}, ${currency}, ${rate})
      on conflict (organization_id, currency) do update set rate = excluded.rate, updated_at = now()`.execute(
      tx,
    );
  }
}

/**
 * Replaces the whole rate table (a PUT): currencies left out lose their rate. With `base`, the
 * organization's base currency changes in the same transaction; rates are relative to the base,
 * so the old table never survives a change of base — the table given is the new one.
 */
export async function replaceExchangeRates(
  ctx: Ctx,
  input: { base?: string; rates: Record<string, number> },
): Promise<ExchangeRates> {
  authorize(ctx, 'settings:update');
  return ctx.tx(async (tx) => {
    const before = await readRates(tx, ctx.organizationId);
    const base = input.base ?? before.base;
    assertNoBaseRate(base, Object.keys(input.rates));
    if (base !== before.base) {
      await sql`update organizations set base_currency = ${base}, updated_at = now() where id = ${ctx.organizationId}`.execute(
        tx,
      );
      await ctx.audit(tx, {
        action: 'organization.base_currency_changed',
        targetType: 'organization',
        targetId: ctx.organizationId,
        diff: { baseCurrency: { from: before.base, to: base } },
      });
    }
    await sql`delete from exchange_rates where organization_id = ${ctx.organizationId}`.execute(tx);
    await writeRates(tx, ctx.organizationId, input.rates);
    await ctx.audit(tx, {
      action: 'exchange_rates.replaced',
      targetType: 'organization',
      targetId: ctx.organizationId,
      diff: { rates: { from: before.rates, to: input.rates } },
    });
    return readRates(tx, ctx.organizationId);
  });
}

/** Merges rates into the table (a PATCH): a number sets a currency's rate, null removes it. */
export async function mergeExchangeRates(
  ctx: Ctx,
  rates: Record<string, number | null>,
): Promise<ExchangeRates> {
  authorize(ctx, 'settings:update');
  return ctx.tx(async (tx) => {
    const before = await readRates(tx, ctx.organizationId);
    assertNoBaseRate(
      before.base,
      Object.keys(rates).filter((c) => rates[c] !== null),
    );
    const removed = Object.keys(rates).filter((c) => rates[c] === null);
    if (removed.length)
      await sql`delete from exchange_rates where organization_id = ${ctx.organizationId} and currency in (${sql.join(removed)})`.execute(
        tx,
      );
    const set = Object.fromEntries(
      Object.entries(rates).flatMap(([c, r]) => (r === null ? [] : [[c, r] as const])),
    );
    await writeRates(tx, ctx.organizationId, set);
    const after = await readRates(tx, ctx.organizationId);
    await ctx.audit(tx, {
      action: 'exchange_rates.updated',
      targetType: 'organization',
      targetId: ctx.organizationId,
      diff: { rates: { from: before.rates, to: after.rates } },
    });
    return after;
  });
}
