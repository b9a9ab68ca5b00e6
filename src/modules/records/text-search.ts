import { sql, type Expression, type SqlBool } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';

/**
 * Word search over the full-text indexes of migration 0006. A query becomes a tsquery of word
 * prefixes ("john smi" → john:* & smi:*), and a second one where each word may also be a typo
 * of a name the organization holds ("jonh" → jonh:* | john:*). The typo candidates come from
 * the small `search_words` vocabulary, never from scanning records.
 */
export interface TextQuery {
  /** What the user typed, for matchers without a word index (activities). */
  text: string;
  /** The query's words, lower-cased and split as the index splits them. */
  words: string[];
  /** Every word as a prefix. */
  exact: string;
  /** Every word or one of its close spellings, as prefixes; null when no word has one. */
  fuzzy: string | null;
  /** Per word, the spellings (itself first) the fuzzy query accepts. */
  alternatives: string[][];
}

const MAX_WORDS = 5;
const MAX_ALTERNATIVES = 8;

/** Edit distance tolerated for a word: none under 3 letters, 1 for 3, 2 from 4 ("jonh" → "john"). */
const tolerance = (word: string) => (word.length < 3 ? 0 : word.length === 3 ? 1 : 2);

const lexeme = (w: string) => `'${w.replace(/['\\]/g, (c) => `\\${c}`)}':*`;

/** The query's words as typed, every one a prefix, no corrections (typeahead's first pass). */
export function exactTextQuery(q: string, split: readonly string[]): TextQuery | null {
  const words = [...new Set(split)].slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return {
    text: q,
    words,
    exact: words.map(lexeme).join(' & '),
    fuzzy: null,
    alternatives: words.map((w) => [w]),
  };
}

/** Splits the query the way the index splits records, and finds close spellings of each word. */
export async function prepareTextQuery(
  tx: Tx,
  organizationId: string,
  q: string,
): Promise<TextQuery | null> {
  const split = await sql<{ words: string[] }>`select cerebro_search_words(${q}) as words`.execute(
    tx,
  );
  const query = exactTextQuery(q, split.rows[0]?.words ?? []);
  return query && correctTextQuery(tx, organizationId, query);
}

/**
 * The same query with each word's close spellings from the organization's vocabulary
 * ("jonh" → jonh | john); `fuzzy` stays null when no word has one.
 */
export async function correctTextQuery(
  tx: Tx,
  organizationId: string,
  query: TextQuery,
): Promise<TextQuery> {
  const { words } = query;
  const fuzzyWords = words.filter((w) => tolerance(w) > 0);
  const near = new Map<string, string[]>();
  if (fuzzyWords.length) {
    // The vocabulary is read per first letter (a btree range), then edit distance on the
    // prefix of the same length: "smtih" meets "smith" inside "smith42".
    const rows = await sql<{ word: string; alt: string }>`
      select w.word, left(v.word, length(w.word)) as alt,
             min(levenshtein_less_equal(w.word, left(v.word, length(w.word)), w.k)) as distance
      from (select word, case when length(word) = 3 then 1 else 2 end as k from unnest(${fuzzyWords}::text[]) word) w
      join search_words v on v.organization_id = ${organizationId}
        and v.word >= left(w.word, 1) and v.word < chr(ascii(w.word) + 1)
        and length(v.word) >= length(w.word) - w.k
      where levenshtein_less_equal(w.word, left(v.word, length(w.word)), w.k) between 1 and w.k
      group by w.word, alt
      order by w.word, distance, alt`.execute(tx);
    for (const r of rows.rows) {
      const list = near.get(r.word) ?? [];
      if (list.length < MAX_ALTERNATIVES) near.set(r.word, [...list, r.alt]);
    }
  }
  const alternatives = words.map((w) => [w, ...(near.get(w) ?? []).filter((a) => a !== w)]);
  const fuzzy = alternatives.some((a) => a.length > 1)
    ? alternatives.map((a) => `(${a.map(lexeme).join(' | ')})`).join(' & ')
    : null;
  return { ...query, fuzzy, alternatives };
}

/**
 * The row-level-security-safe function that reads a table's word index (migration 0013 and the
 * owning module's migration: `cerebro_words_<table>(tsquery, limit)` answering ids). The module
 * that owns the table names it, so a new searchable table needs no edit here.
 */
export type WordIndex = `cerebro_words_${string}`;
const WORD_FUNCTION = /^cerebro_words_[a-z][a-z0-9_]{0,40}$/;

function wordMatch(
  index: WordIndex,
  tsquery: string,
  options: { idColumn?: string; limit?: number },
): Expression<SqlBool> {
  // Spliced into the SQL as a name, so only the form a migration gives such a function passes.
  if (!WORD_FUNCTION.test(index)) throw new Error(`"${index}" is not a word index function`);
  return sql<SqlBool>`${sql.ref(options.idColumn ?? 'id')} in (select ${sql.raw(index)}(${tsquery}::tsquery, ${options.limit ?? null}::integer))`;
}

/**
 * The record matches every word, typos allowed (lists use this: all matches, in list order).
 * `limit` caps how many matches the word index hands over, for typeahead phases.
 */
export function matchesSql(
  index: WordIndex,
  query: TextQuery,
  options: { idColumn?: string; limit?: number } = {},
): Expression<SqlBool> {
  return wordMatch(index, query.fuzzy ?? query.exact, options);
}

/** The same, spelled exactly as typed (prefixes only). */
export function matchesExactlySql(
  index: WordIndex,
  query: TextQuery,
  options: { idColumn?: string; limit?: number } = {},
): Expression<SqlBool> {
  return wordMatch(index, query.exact, options);
}

const splitWords = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * Relevance of one record's text: per query word, a whole-word hit beats a prefix, which beats a
 * corrected typo; words in the title (name) count more than those in the rest (email, domain).
 */
export function rankText(query: TextQuery, title: string, rest: string): number {
  const titleWords = splitWords(title);
  const restWords = splitWords(rest);
  let score = 0;
  query.words.forEach((w, i) => {
    const alts = query.alternatives[i] ?? [w];
    const best = (pool: string[]) => {
      if (pool.includes(w)) return 1;
      if (pool.some((t) => t.startsWith(w))) return 0.8;
      return pool.some((t) => alts.some((a) => t.startsWith(a))) ? 0.5 : 0;
    };
    score += Math.max(best(titleWords), 0.7 * best(restWords));
  });
  return score / query.words.length;
}

/** Forgets the given words unless a live record still holds them (used by erasure). */
export async function forgetSearchWords(
  ctx: Pick<Ctx, 'organizationId' | 'deps'>,
  tx: Tx,
  words: readonly string[],
): Promise<void> {
  if (words.length === 0) return;
  // The objects whose records feed the vocabulary (their declarations say so), asked through
  // their word-index functions: as the application role a plain @@ would scan the tenant.
  const holders = [...ctx.deps.modules.objects.values()]
    .filter((o) => o.vocabulary && o.table)
    .map(
      (o) =>
        sql`not exists (select 1 from ${sql.raw(`cerebro_words_${o.table ?? ''}`)}(quote_literal(s.word)::tsquery, 1))`,
    );
  await sql`
    delete from search_words s
    where s.organization_id = ${ctx.organizationId} and s.word = any(${[...words]}::text[])
      ${holders.length ? sql`and ${sql.join(holders, sql` and `)}` : sql``}`.execute(tx);
}
