import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Actor } from '../../platform/authz/index.js';
import { readChangeVersion } from '../../platform/cache/index.js';
import type { Ctx, Deps } from '../../platform/context/index.js';
import type { SearchHit } from './search.js';

/**
 * Typeahead answers, kept by each API process: a person typing "john smith" and then deleting
 * back to "john" asks the same questions twice, and every user of an organization asks the same
 * first letters. An entry is keyed by
 * - the organization and its change version (platform/cache; Redis when configured, so a record
 *   written through any process retires every process's entries of that organization), and
 * - what the caller may read of each searched type (own/team/all and whose records that is), so
 *   an answer never reaches someone whose scope differs from the one it was computed for.
 * The answers themselves stay in process memory, bounded, like resolved principals
 * (identity/principals.ts): the version is the only thing processes must agree on.
 */
const ENTRIES = 10_000;
/** A backstop for changes that emit no event (a raw maintenance statement). */
const ENTRY_TTL_MS = 30_000;

const byApp = new WeakMap<Deps, LRUCache<string, SearchHit[]>>();
function lruOf(deps: Deps): LRUCache<string, SearchHit[]> {
  let lru = byApp.get(deps);
  if (!lru) {
    lru = new LRUCache({ max: ENTRIES, ttl: ENTRY_TTL_MS });
    byApp.set(deps, lru);
  }
  return lru;
}

/** What decides which rows of a type the actor sees: its scope, and for own/team, whose rows. */
function readScopeOf(actor: Actor, permission: string): string {
  if (actor.type === 'system') return 'all';
  const scope = actor.grants.get(permission);
  if (!scope || scope === 'all') return scope ?? 'none';
  // Team scope reads the team members' records and (leads, tickets) the teams' queues.
  const sorted = (ids: readonly string[]) => [...ids].sort().join(',');
  return `${scope}:${actor.userId ?? actor.id}:${sorted(actor.teamIds)}:${sorted(actor.teamMemberIds)}`;
}

/** One search as the cache sees it. */
export interface SearchKeyInput {
  /** The text as typed (as is: a provider may read more of it than its words). */
  q: string;
  /** The searched types with the permission that guards each. */
  types: ReadonlyArray<{ type: string; permission: string }>;
  limit: number;
}

/** The entry's key, or null when the version cannot be read (then nothing is cached). */
export async function searchCacheKey(ctx: Ctx, input: SearchKeyInput): Promise<string | null> {
  let version: string;
  try {
    version = await readChangeVersion(ctx.deps.cache, ctx.organizationId);
  } catch (err) {
    // Without the version no entry can be trusted; the search itself still answers.
    ctx.log.warn({ err }, 'search cache: change version unreadable, searching uncached');
    return null;
  }
  const scopes = input.types.map((t) => `${t.type}=${readScopeOf(ctx.actor, t.permission)}`);
  const what = JSON.stringify([input.q, input.limit, scopes]);
  const digest = createHash('sha256').update(what).digest('base64url');
  return `${ctx.organizationId}:${version}:${digest}`;
}

export function cachedSearch(deps: Deps, key: string): SearchHit[] | undefined {
  return lruOf(deps).get(key);
}

export function rememberSearch(deps: Deps, key: string, hits: SearchHit[]): void {
  lruOf(deps).set(key, hits);
}
