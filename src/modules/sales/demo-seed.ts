import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { withTenant } from '../../platform/db/index.js';
import { listCompanies, listContacts } from '../contacts/index.js';
import { defaultPipeline } from './pipelines.js';
import type { SalesTables } from './schema.js';

const DAY = 86_400_000;
const LOST_REASONS = [
  'Price',
  'Went with a competitor',
  'No budget this year',
  'No decision',
  'Timing',
];
const PRODUCTS = [
  'Starter plan',
  'Growth plan',
  'Enterprise plan',
  'Onboarding package',
  'Premium support',
];

/** A deterministic generator so every demo looks the same. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/**
 * A year of sales on the default pipeline: open deals across the stages (some rotting), and won
 * and lost ones with their stage history, so the board, forecast and win rates are alive on
 * first start.
 */
export async function seedDemoDeals(
  deps: Deps,
  organizationId: string,
  ownerId: string,
  count = 120,
): Promise<void> {
  const rnd = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ctx = createCtx(deps, systemActor(organizationId));
  const companies = (await listCompanies(ctx, { limit: '200' })).data;
  const contacts = (await listContacts(ctx, { limit: '200' })).data;
  const now = deps.clock.now().getTime();
  await withTenant(deps.database.db, organizationId, async (tx) => {
    const db = tx.withTables<SalesTables>();
    const pipeline = await defaultPipeline(ctx, tx);
    const open = pipeline.stages.filter((s) => s.kind === 'open');
    const won = pipeline.stages.find((s) => s.kind === 'won');
    const lost = pipeline.stages.find((s) => s.kind === 'lost');
    if (!won || !lost || open.length === 0) return;
    await db
      .insertInto('products')
      .values(
        PRODUCTS.map((name, i) => ({
          organization_id: organizationId,
          id: uuidv7(),
          name,
          sku: `DEMO-${i + 1}`,
          unit_price: (i + 1) * 50_000,
          currency: 'USD',
        })),
      )
      .execute();
    for (let i = 0; i < count; i++) {
      const company = companies.length ? pick(companies) : undefined;
      const contact =
        contacts.find((c) => c.companyId === company?.id) ??
        (contacts.length ? pick(contacts) : undefined);
      const created = new Date(now - Math.floor(rnd() * 365) * DAY);
      const closes = i % 3 !== 0 && created.getTime() < now - 20 * DAY;
      const isWon = closes && rnd() < 0.55;
      const path = closes
        ? open.slice(0, 1 + Math.floor(rnd() * open.length))
        : open.slice(0, 1 + Math.floor(rnd() * open.length));
      const last = path[path.length - 1];
      const final = closes ? (isWon ? won : lost) : last;
      if (!final) continue;
      const span = 10 + Math.floor(rnd() * 80);
      const closedAt = closes
        ? new Date(Math.min(now - DAY, created.getTime() + span * DAY))
        : null;
      const amount = Math.round(5 + rnd() * 95) * 100_000;
      const id = uuidv7();
      const stays = [...path, ...(closes ? [final] : [])];
      const step = ((closedAt?.getTime() ?? now) - created.getTime()) / Math.max(1, stays.length);
      const entered = stays.map(
        (_, k) => new Date(created.getTime() + k * step * (closes ? 1 : 0.5)),
      );
      await db
        .insertInto('deals')
        .values({
          organization_id: organizationId,
          id,
          name: `${company?.name ?? 'New'} — ${pick(PRODUCTS)}`,
          amount,
          currency: 'USD',
          pipeline_id: pipeline.id,
          stage_id: final.id,
          expected_close_date: (closedAt ?? new Date(now + Math.floor(rnd() * 100 - 10) * DAY))
            .toISOString()
            .slice(0, 10),
          owner_id: ownerId,
          contact_id: contact?.id ?? null,
          company_id: company?.id ?? null,
          lost_reason: closes && !isWon ? pick(LOST_REASONS) : null,
          closed_at: closedAt,
          stage_entered_at: entered[entered.length - 1] ?? created,
          created_at: created,
          updated_at: closedAt ?? entered[entered.length - 1] ?? created,
        })
        .execute();
      await db
        .insertInto('deal_stage_history')
        .values(
          stays.map((s, k) => ({
            organization_id: organizationId,
            id: uuidv7(),
            deal_id: id,
            pipeline_id: pipeline.id,
            stage_id: s.id,
            from_stage_id: stays[k - 1]?.id ?? null,
            entered_at: entered[k] ?? created,
            left_at: entered[k + 1] ?? null,
            amount,
            currency: 'USD',
            owner_id: ownerId,
            changed_by: null,
          })),
        )
        .execute();
    }
  });
}
