import { sql } from 'kysely';
import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { ownerScopeSql } from './record-access.js';
import { relaxTrigramThreshold, searchRankSql, searchSql } from './record-list.js';

/** One search hit: enough to show a line in the command palette and link to the record. */
export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

/**
 * A search provider per record type. Modules that own other searchable types (deals, leads,
 * tickets) register theirs, so one endpoint ranks across all of them.
 */
export interface SearchProvider {
  type: string;
  permission: string;
  search(ctx: Ctx, tx: Tx, q: string, limit: number): Promise<SearchHit[]>;
}

const providers = new Map<string, SearchProvider>();

export function registerSearchProvider(p: SearchProvider): void {
  providers.set(p.type, p);
}

export const searchableTypes = (): string[] => [...providers.keys()];

/** Searches the given types (all the actor may read when none), ranked, typo-tolerant. */
export async function search(ctx: Ctx, q: string, types: readonly string[] | null, limit: number): Promise<SearchHit[]> {
  const unknown = (types ?? []).filter((t) => !providers.has(t));
  if (unknown.length) throw errors.validation([{ path: 'types', message: `unknown types ${unknown.join(', ')}; use ${searchableTypes().join(', ')}` }]);
  const chosen = [...providers.values()].filter((p) => (!types || types.includes(p.type)) && can(ctx.actor, p.permission));
  if (!q.trim() || chosen.length === 0) return [];
  return ctx.tx(async (tx) => {
    await relaxTrigramThreshold(tx);
    const hits: SearchHit[] = [];
    for (const p of chosen) hits.push(...(await p.search(ctx, tx, q, limit)));
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  });
}

const CONTACT_TEXT = sql`cerebro_search_text(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''))`;
const COMPANY_TEXT = sql`cerebro_search_text(name, coalesce(domain, ''))`;
/** Nearest candidates read from the GiST index before the typo check narrows them. */
const CANDIDATES = 50;

/**
 * Typeahead over any number of records: the GiST trigram index hands back the nearest rows by
 * word distance (KNN, no scan of every match), then the typo check and the rank run on those
 * few candidates only.
 */
function nearest(table: 'contacts' | 'companies', text: ReturnType<typeof sql>, columns: ReturnType<typeof sql>, ctx: Ctx, q: string, permission: string) {
  const needle = q.toLowerCase();
  return sql`
    select c.*, ${searchRankSql(sql`c.search_text`, q)} as score from (
      select ${columns}, ${text} as search_text from ${sql.table(table)}
      where organization_id = ${ctx.organizationId} and deleted_at is null and merged_into is null and ${ownerScopeSql(ctx.actor, permission)}
      order by ${needle} <<-> ${text}
      limit ${CANDIDATES}
    ) c
    where ${searchSql(sql`c.search_text`, q)}`;
}

registerSearchProvider({
  type: 'contacts',
  permission: 'contacts:read',
  search: async (ctx, tx, q, limit) => {
    const rows = await sql<{ id: string; first_name: string | null; last_name: string | null; email: string | null; title: string | null; score: number }>`
      ${nearest('contacts', CONTACT_TEXT, sql`id, first_name, last_name, email, title`, ctx, q, 'contacts:read')}
      order by score desc, id limit ${limit}`.execute(tx);
    return rows.rows.map((r) => ({
      type: 'contacts',
      id: r.id,
      title: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || '(no name)',
      subtitle: [r.title, r.email].filter(Boolean).join(' · ') || null,
      score: Number(r.score),
    }));
  },
});

registerSearchProvider({
  type: 'companies',
  permission: 'companies:read',
  search: async (ctx, tx, q, limit) => {
    const rows = await sql<{ id: string; name: string; domain: string | null; industry: string | null; score: number }>`
      ${nearest('companies', COMPANY_TEXT, sql`id, name, domain, industry`, ctx, q, 'companies:read')}
      order by score desc, id limit ${limit}`.execute(tx);
    return rows.rows.map((r) => ({ type: 'companies', id: r.id, title: r.name, subtitle: [r.domain, r.industry].filter(Boolean).join(' · ') || null, score: Number(r.score) }));
  },
});
