import { sql } from 'kysely';
import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { prepareTextQuery, type TextQuery } from './text-search.js';

/** One search hit: enough to show a line in the command palette and link to the record. */
export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

/**
 * A search provider per record type. Modules that own searchable types (contacts, deals, leads,
 * tickets) declare theirs in their definition, so one endpoint ranks across all of them.
 */
export interface SearchProvider {
  type: string;
  permission: string;
  search(ctx: Ctx, tx: Tx, query: TextQuery, limit: number): Promise<SearchHit[]>;
}

let providers = new Map<string, SearchProvider>();

/** Makes the modules' providers the searchable types, in module order; the module list calls it at start-up. */
export function installSearchProviders(list: readonly SearchProvider[]): void {
  providers = new Map(list.map((p) => [p.type, p]));
}

export const searchableTypes = (): string[] => [...providers.keys()];

/** Searches the given types (all the actor may read when none), ranked, typo-tolerant. */
export async function search(
  ctx: Ctx,
  q: string,
  types: readonly string[] | null,
  limit: number,
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
  return ctx.tx(async (tx) => {
    // Typeahead reads a few hundred rows at most: starting parallel workers costs more than it saves.
    await sql`select set_config('max_parallel_workers_per_gather', '0', true)`.execute(tx);
    const query = await prepareTextQuery(tx, ctx.organizationId, q);
    if (!query) return [];
    const hits: SearchHit[] = [];
    for (const p of chosen) hits.push(...(await p.search(ctx, tx, query, limit)));
    return topHits(hits, limit);
  });
}

/** The best `limit` hits, best first (ties by title). */
export const topHits = (hits: SearchHit[], limit: number): SearchHit[] =>
  hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);
