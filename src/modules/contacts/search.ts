import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  matchesExactlySql,
  matchesSql,
  ownerScopeSql,
  rankText,
  topHits,
  type SearchProvider,
  type TextQuery,
} from '../records/index.js';

/** Rows read per phase before ranking: enough to rank well, few enough to stay fast at any size. */
const CANDIDATES = 200;

/**
 * Typeahead over any number of records: first what `first` finds (name prefixes for contacts),
 * then the word index — the words as typed, or in search's typo pass their corrected spellings.
 * Each phase stops after CANDIDATES rows; ranking runs on those few.
 */
async function candidates<Row extends { id: string }>(
  ctx: Ctx,
  tx: Tx,
  table: 'contacts' | 'companies',
  columns: RawBuilder<unknown>,
  query: TextQuery,
  permission: string,
  first: () => Promise<Row[]> = async () => [],
  enough = CANDIDATES,
): Promise<Row[]> {
  const phase = async (match: Expression<SqlBool>) =>
    (
      await sql<Row>`
      select ${columns} from ${sql.table(table)}
      where organization_id = ${ctx.organizationId} and deleted_at is null and merged_into is null
        and ${ownerScopeSql(ctx.actor, permission)} and ${match}
      limit ${CANDIDATES}`.execute(tx)
    ).rows;
  const found = new Map<string, Row>();
  const add = (rows: Row[]) => rows.forEach((r) => found.set(r.id, r));
  add(await first());
  // Enough name matches answer a typeahead; the word index is for what names cannot find
  // (e-mail, phone, third words) and would first gather every "jo…" in a large tenant.
  if (found.size >= enough) return [...found.values()];
  // A query with corrections is search's typo pass: the words as typed already had their turn
  // and found fewer than a page, so only the corrected spellings are left to look for.
  const match = query.fuzzy ? matchesSql : matchesExactlySql;
  add(await phase(match(`cerebro_words_${table}`, query, { limit: CANDIDATES })));
  return [...found.values()];
}

/** Per branch of the name phase: rows read in index order before it stops. */
const PER_BRANCH = 25;
/** Spellings per word the name phase tries (the word itself first). */
const NAME_SPELLINGS = 3;

/**
 * Contacts whose first or last name starts with the query's words, in either order ("john smi",
 * "smith jo"), typos corrected. Each branch walks the name indexes of migration 0010 in order
 * and stops after a few rows, so "jo" is as fast as "zbigniew".
 */
function namePrefixes(ctx: Ctx, tx: Tx, query: TextQuery, columns: RawBuilder<unknown>) {
  return async <Row>(): Promise<Row[]> => {
    if (query.words.length > 2) return [];
    const spellings = query.alternatives.map((a) => a.slice(0, NAME_SPELLINGS));
    // Each branch is one ordered walk of a name index (cerebro_names_contacts, migration 0013).
    const branch = (first: string, second: string | null, lastFirst: boolean) => sql`(
      select ${columns} from contacts
      where id in (select cerebro_names_contacts(${first}, ${second}, ${lastFirst}, ${PER_BRANCH}))
        and ${ownerScopeSql(ctx.actor, 'contacts:read')})`;
    const [one = [], two] = spellings;
    const branches = two
      ? one.flatMap((a) => two.flatMap((b) => [branch(a, b, false), branch(a, b, true)]))
      : one.flatMap((a) => [branch(a, null, false), branch(a, null, true)]);
    if (branches.length === 0) return [];
    return (await sql<Row>`${sql.join(branches, sql` union all `)}`.execute(tx)).rows;
  };
}

/** Contacts by name prefix, email and phone. */
export const CONTACT_SEARCH: SearchProvider = {
  type: 'contacts',
  permission: 'contacts:read',
  correctsItself: true,
  search: async (ctx, tx, query, limit) => {
    type Row = {
      id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      phone: string | null;
      title: string | null;
    };
    const columns = sql`id, first_name, last_name, email, phone, title`;
    // Name prefixes as typed answer most keystrokes. When they fill less than a page, the typo
    // corrections come next, tried on the names too, before the costlier word index runs
    // (a short prefix there, "smi", gathers every Smith before its limit applies).
    const asTyped = await namePrefixes(ctx, tx, query, columns)<Row>();
    const fixed = asTyped.length < limit ? await query.corrected() : query;
    const ranked: TextQuery = fixed.fuzzy ? fixed : query;
    const rows = await candidates<Row>(
      ctx,
      tx,
      'contacts',
      columns,
      ranked,
      'contacts:read',
      async () =>
        ranked === query
          ? asTyped
          : [...asTyped, ...(await namePrefixes(ctx, tx, ranked, columns)<Row>())],
      limit * 2,
    );
    return topHits(
      rows.map((r) => {
        const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
        return {
          type: 'contacts',
          id: r.id,
          title: name || r.email || '(no name)',
          subtitle: [r.title, r.email].filter(Boolean).join(' · ') || null,
          score: rankText(ranked, name, [r.email, r.phone].filter(Boolean).join(' ')),
        };
      }),
      limit,
    );
  },
};

/** Companies by name and domain. */
export const COMPANY_SEARCH: SearchProvider = {
  type: 'companies',
  permission: 'companies:read',
  search: async (ctx, tx, query, limit) => {
    const rows = await candidates<{
      id: string;
      name: string;
      domain: string | null;
      industry: string | null;
    }>(ctx, tx, 'companies', sql`id, name, domain, industry`, query, 'companies:read');
    return topHits(
      rows.map((r) => ({
        type: 'companies',
        id: r.id,
        title: r.name,
        subtitle: [r.domain, r.industry].filter(Boolean).join(' · ') || null,
        score: rankText(query, r.name, r.domain ?? ''),
      })),
      limit,
    );
  },
};
