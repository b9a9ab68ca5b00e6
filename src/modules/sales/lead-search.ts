import { sql, type Expression, type SqlBool } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  matchesExactlySql,
  matchesSql,
  rankText,
  type SearchHit,
  type SearchProvider,
  type TextQuery,
} from '../records/index.js';
import { leadScopeSql } from './lead-access.js';

/** The indexed document of a lead: this must match the index expression of migration 0008 exactly. */

/** `q=` on the lead list: every word as a prefix, typos corrected against known names. */
export const leadSearchSql = (q: TextQuery): Expression<SqlBool> =>
  matchesSql('cerebro_words_leads', q);

/** Rows read per phase before ranking, as the records providers do. */
const CANDIDATES = 200;

interface LeadHitRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company_name: string | null;
  status: string;
}

/** Leads the actor may read matching the query: as typed first, corrected spellings only when few. */
async function candidates(ctx: Ctx, tx: Tx, query: TextQuery): Promise<LeadHitRow[]> {
  const phase = async (match: Expression<SqlBool>) =>
    (
      await sql<LeadHitRow>`
      select id, first_name, last_name, email, phone, company_name, status from leads
      where organization_id = ${ctx.organizationId} and deleted_at is null
        and ${leadScopeSql(ctx.actor, 'leads:read')} and ${match}
      limit ${CANDIDATES}`.execute(tx)
    ).rows;
  const rows = await phase(matchesExactlySql('cerebro_words_leads', query, { limit: CANDIDATES }));
  if (rows.length >= CANDIDATES || !query.fuzzy) return rows;
  const seen = new Set(rows.map((r) => r.id));
  return [
    ...rows,
    ...(await phase(matchesSql('cerebro_words_leads', query, { limit: CANDIDATES }))).filter(
      (r) => !seen.has(r.id),
    ),
  ];
}

function hitOf(query: TextQuery, r: LeadHitRow): SearchHit {
  const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
  return {
    type: 'leads',
    id: r.id,
    title: name || r.email || r.company_name || '(no name)',
    subtitle: [r.company_name, r.email, r.status].filter(Boolean).join(' · ') || null,
    score: rankText(
      query,
      name || (r.company_name ?? ''),
      [r.email, r.company_name, r.phone].filter(Boolean).join(' '),
    ),
  };
}

export const LEAD_SEARCH: SearchProvider = {
  type: 'leads',
  permission: 'leads:read',
  search: async (ctx, tx, query, limit) =>
    (await candidates(ctx, tx, query))
      .map((r) => hitOf(query, r))
      .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
      .slice(0, limit),
};
