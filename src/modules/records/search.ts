import { sql } from 'kysely';
import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import {
  isStatementCancelled,
  SEARCH_STATEMENT_TIMEOUT_MS,
  SearchAbandoned,
  searchTimedOut,
  stopIfAbandoned,
} from './search-budget.js';
import { cachedSearch, rememberSearch, searchCacheKey } from './search-cache.js';
import { correctTextQuery, exactTextQuery, type TextQuery } from './text-search.js';

/** One search hit: enough to show a line in the command palette and link to the record. */
export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

/** A search's query: the words as typed, and their corrected spellings, looked up once on demand. */
export interface SearchQuery extends TextQuery {
  /** The query with each word's close spellings (the same answer however often it is asked). */
  corrected(): Promise<TextQuery>;
}

/**
 * A search provider per record type. Modules that own searchable types (contacts, deals, leads,
 * tickets) declare theirs in their definition, so one endpoint ranks across all of them.
 * Search asks each provider with the words as typed (`query.fuzzy` null), and only when all of
 * them found less than a page, again with the corrected spellings (`query.fuzzy` set) — except
 * a provider that `correctsItself`: it asks `query.corrected()` in the first call, when its own
 * cheap phase (contacts' name prefixes) finds too few, before any costly one.
 */
export interface SearchProvider {
  type: string;
  permission: string;
  correctsItself?: boolean;
  search(ctx: Ctx, tx: Tx, query: SearchQuery, limit: number): Promise<SearchHit[]>;
}

let providers = new Map<string, SearchProvider>();

/** Makes the modules' providers the searchable types, in module order; the module list calls it at start-up. */
export function installSearchProviders(list: readonly SearchProvider[]): void {
  providers = new Map(list.map((p) => [p.type, p]));
}

export const searchableTypes = (): string[] => [...providers.keys()];

/** How a search may be cut short. */
export interface SearchOptions {
  /** Fires when the asker no longer wants the answer (the client aborted for a newer keystroke). */
  signal?: AbortSignal;
}

/**
 * Searches the given types (all the actor may read when none), ranked, typo-tolerant. Answers
 * come from the search cache while no record of the organization has changed; a search cut
 * short (timed out, abandoned) answers what it found and is not cached.
 */
export async function search(
  ctx: Ctx,
  q: string,
  types: readonly string[] | null,
  limit: number,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const unknown = (types ?? []).filter((t) => !providers.has(t));
  if (unknown.length)
    throw errors.validation([
      {
        path: 'types',
        message: `unknown types ${unknown.join(', ')}; use ${searchableTypes().join(', ')}`,
      },
    ]);
  const chosen = [...providers.values()].filter(
    (p) => (!types || types.includes(p.type)) && can(ctx.actor, p.permission),
  );
  if (chosen.length === 0) return [];
  const key = await searchCacheKey(ctx, { q, types: chosen, limit });
  const cached = key === null ? undefined : cachedSearch(ctx.deps, key);
  if (cached) return [...cached];
  const { hits, complete } = await searchInPasses(ctx, chosen, q, limit, options.signal);
  if (complete && key !== null) rememberSearch(ctx.deps, key, hits);
  return hits;
}

/**
 * First the words as typed — name prefixes and the word index, where most keystrokes end —
 * and only when those fill less than a page, the organization's close spellings of them
 * ("jonh smtih"). A typo hit ranks below any exact or prefix hit (rankText), so a full first
 * page already holds the best answers.
 */
async function searchInPasses(
  ctx: Ctx,
  chosen: readonly SearchProvider[],
  q: string,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<{ hits: SearchHit[]; complete: boolean }> {
  let found: SearchHit[] = [];
  try {
    return await ctx.tx(async (tx) => {
      // Typeahead reads a few hundred rows at most: starting parallel workers costs more than
      // it saves. The query is split in the same round trip.
      const split = await sql<{ words: string[] }>`
        select set_config('max_parallel_workers_per_gather', '0', true),
               set_config('statement_timeout', ${String(SEARCH_STATEMENT_TIMEOUT_MS)}, true),
               cerebro_search_words(${q}) as words`.execute(tx);
      const exact = exactTextQuery(q, split.rows[0]?.words ?? []);
      if (!exact) return { hits: [], complete: true };
      let lookup: Promise<TextQuery> | null = null;
      const corrected = () => (lookup ??= correctTextQuery(tx, ctx.organizationId, exact));
      found = await askProviders(ctx, tx, chosen, { ...exact, corrected }, limit, signal);
      const rest = chosen.filter((p) => !p.correctsItself);
      if (found.length >= limit || rest.length === 0) return { hits: found, complete: true };
      stopIfAbandoned(signal);
      const fixed = await corrected();
      if (!fixed.fuzzy) return { hits: found, complete: true };
      const again = { ...fixed, corrected: async () => fixed };
      const typos = await askProviders(ctx, tx, rest, again, limit, signal);
      return { hits: topHits(bestPerRecord([...found, ...typos]), limit), complete: true };
    });
  } catch (err) {
    if (err instanceof SearchAbandoned) return { hits: found, complete: false };
    if (!isStatementCancelled(err)) throw err;
    if (found.length === 0) throw searchTimedOut();
    ctx.log.info({ q, found: found.length }, 'search: typo pass out of time, answering the first');
    return { hits: found, complete: false };
  }
}

async function askProviders(
  ctx: Ctx,
  tx: Tx,
  chosen: readonly SearchProvider[],
  query: SearchQuery,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  for (const p of chosen) {
    stopIfAbandoned(signal);
    hits.push(...(await p.search(ctx, tx, query, limit)));
  }
  return topHits(hits, limit);
}

/** One hit per record, the better scored where both passes found it. */
function bestPerRecord(hits: SearchHit[]): SearchHit[] {
  const byRecord = new Map<string, SearchHit>();
  for (const hit of hits) {
    const key = `${hit.type}:${hit.id}`;
    const seen = byRecord.get(key);
    if (!seen || hit.score > seen.score) byRecord.set(key, hit);
  }
  return [...byRecord.values()];
}

/** The best `limit` hits, best first (ties by title). */
export const topHits = (hits: SearchHit[], limit: number): SearchHit[] =>
  hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);
