import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { ownerScopeSql } from './record-access.js';
import { COMPANY_VECTOR, CONTACT_VECTOR, matchesExactlySql, matchesSql, prepareTextQuery, rankText, type TextQuery } from './text-search.js';

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
  search(ctx: Ctx, tx: Tx, query: TextQuery, limit: number): Promise<SearchHit[]>;
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
  if (chosen.length === 0) return [];
  return ctx.tx(async (tx) => {
    const query = await prepareTextQuery(tx, ctx.organizationId, q);
    if (!query) return [];
    const hits: SearchHit[] = [];
    for (const p of chosen) hits.push(...(await p.search(ctx, tx, query, limit)));
    return top(hits, limit);
  });
}

/** Rows read per phase before ranking: enough to rank well, few enough to stay fast at any size. */
const CANDIDATES = 200;

/**
 * Typeahead over any number of records: the words as typed first, and only when they find too
 * few, their corrected spellings. Each phase stops after CANDIDATES rows from the word index;
 * ranking runs on those few.
 */
async function candidates<Row extends { id: string }>(ctx: Ctx, tx: Tx, table: 'contacts' | 'companies', vector: RawBuilder<unknown>, columns: RawBuilder<unknown>, query: TextQuery, permission: string): Promise<Row[]> {
  const phase = async (match: Expression<SqlBool>) =>
    (await sql<Row>`
      select ${columns} from ${sql.table(table)}
      where organization_id = ${ctx.organizationId} and deleted_at is null and merged_into is null
        and ${ownerScopeSql(ctx.actor, permission)} and ${match}
      limit ${CANDIDATES}`.execute(tx)).rows;
  const rows = await phase(matchesExactlySql(vector, query));
  if (rows.length >= CANDIDATES || !query.fuzzy) return rows;
  const seen = new Set(rows.map((r) => r.id));
  return [...rows, ...(await phase(matchesSql(vector, query))).filter((r) => !seen.has(r.id))];
}

const top = (hits: SearchHit[], limit: number) => hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);

registerSearchProvider({
  type: 'contacts',
  permission: 'contacts:read',
  search: async (ctx, tx, query, limit) => {
    const rows = await candidates<{ id: string; first_name: string | null; last_name: string | null; email: string | null; phone: string | null; title: string | null }>(
      ctx, tx, 'contacts', CONTACT_VECTOR, sql`id, first_name, last_name, email, phone, title`, query, 'contacts:read');
    return top(rows.map((r) => {
      const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
      return {
        type: 'contacts',
        id: r.id,
        title: name || r.email || '(no name)',
        subtitle: [r.title, r.email].filter(Boolean).join(' · ') || null,
        score: rankText(query, name, [r.email, r.phone].filter(Boolean).join(' ')),
      };
    }), limit);
  },
});

registerSearchProvider({
  type: 'companies',
  permission: 'companies:read',
  search: async (ctx, tx, query, limit) => {
    const rows = await candidates<{ id: string; name: string; domain: string | null; industry: string | null }>(
      ctx, tx, 'companies', COMPANY_VECTOR, sql`id, name, domain, industry`, query, 'companies:read');
    return top(rows.map((r) => ({
      type: 'companies', id: r.id, title: r.name, subtitle: [r.domain, r.industry].filter(Boolean).join(' · ') || null,
      score: rankText(query, r.name, r.domain ?? ''),
    })), limit);
  },
});
