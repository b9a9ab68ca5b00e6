import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import {
  matchesSql,
  ownerScopeSql,
  purgeTrashedRecords,
  rankText,
  type SearchProvider,
} from '../records/index.js';

/** Deals in the global search (command palette), ranked like contacts and companies. */
export const DEAL_SEARCH: SearchProvider = {
  type: 'deals',
  permission: 'deals:read',
  search: async (ctx, tx, query, limit) => {
    const rows = await sql<{
      id: string;
      name: string;
      amount: number;
      currency: string;
      stage: string;
    }>`
      select d.id, d.name, d.amount, d.currency, s.name as stage from deals d
      join pipeline_stages s on s.organization_id = d.organization_id and s.id = d.stage_id
      where d.organization_id::text = ${ctx.organizationId} and d.deleted_at is null
        and ${ownerScopeSql(ctx.actor, 'deals:read', 'd.owner_id')} and ${matchesSql('cerebro_words_deals', query, { idColumn: 'd.id' })}
      limit 200`.execute(tx);
    return rows.rows
      .map((r) => ({
        type: 'deals',
        id: r.id,
        title: r.name,
        subtitle: `${r.stage} · ${(r.amount / 100).toLocaleString('en-US', { style: 'currency', currency: r.currency })}`,
        score: rankText(query, r.name, ''),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  },
};

/**
 * Deals in the trash longer than the restore window are deleted for good (with their lines and
 * history); their activities stay without the link.
 */
export const purgeExpiredDeals = (deps: Deps, now: Date = deps.clock.now()): Promise<number> =>
  purgeTrashedRecords(deps, 'deals', 'deal', now);
