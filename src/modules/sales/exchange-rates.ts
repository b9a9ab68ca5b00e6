import { sql } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';

/** Rates to the base currency, as reports use them: `{ EUR: 1.08 }` means 1 EUR = 1.08 base units. */
export async function listExchangeRates(ctx: Ctx): Promise<{ base: string; rates: Record<string, number> }> {
  authorize(ctx, 'deals:read');
  return ctx.tx(async (tx) => {
    const base = await sql<{ base_currency: string }>`select base_currency from organizations where id = ${ctx.organizationId}`.execute(tx);
    const rows = await sql<{ currency: string; rate: string }>`select currency, rate from exchange_rates where organization_id = ${ctx.organizationId} order by currency`.execute(tx);
    return { base: base.rows[0]?.base_currency ?? 'USD', rates: Object.fromEntries(rows.rows.map((r) => [r.currency, Number(r.rate)])) };
  });
}

export async function setExchangeRates(ctx: Ctx, rates: Record<string, number>): Promise<{ base: string; rates: Record<string, number> }> {
  authorize(ctx, 'settings:update');
  await ctx.tx(async (tx) => {
    for (const [currency, rate] of Object.entries(rates)) {
      await sql`insert into exchange_rates (organization_id, currency, rate) values (${ctx.organizationId}, ${currency}, ${rate})
        on conflict (organization_id, currency) do update set rate = excluded.rate, updated_at = now()`.execute(tx);
    }
    await ctx.audit(tx, { action: 'exchange_rates.updated', targetType: 'organization', targetId: ctx.organizationId, diff: { rates: { from: null, to: rates } } });
  });
  return listExchangeRates(ctx);
}
