import type { Actor } from '../../platform/authz/index.js';
import { LRUCache } from 'lru-cache';
import type { Deps } from '../../platform/context/index.js';

/**
 * Resolved principals (a session's or an API key's actor), kept by each API process so an
 * authenticated request costs no database statement and at most one cache round trip.
 *
 * An entry is used only while its organization's authorization version (the shared cache's
 * `authz-version:<org>`, bumped by every user, role, team, membership, MFA and API-key change)
 * is the one it was made under, and never for longer than {@link PRINCIPAL_TTL_MS}. Session
 * revocation (logout, password reset, a disabled user) is checked on every request through the
 * denylist, read in the same round trip as the version. With REDIS_URL both live in Redis, so a
 * change made through any process is seen by every process on its next request.
 */
export interface Principal {
  actor: Actor;
  /** The organization the entry belongs to: its version decides whether the entry is current. */
  organizationId: string;
  /**
   * The organization's authorization version read before the actor was resolved; null when it
   * could not be (an API key's first use names its organization only once loaded): such an entry
   * never answers, it only tells the next request which version to read first.
   */
  version: string | null;
  /** When an API key expires (ms since the epoch); null when it does not. */
  expiresAt: number | null;
}

/** The longest a resolved principal is trusted without being resolved again (a backstop). */
export const PRINCIPAL_TTL_MS = 30_000;

const byApp = new WeakMap<Deps, LRUCache<string, Principal>>();
const versions = new WeakMap<Actor, string>();

function lruOf(deps: Deps): LRUCache<string, Principal> {
  let lru = byApp.get(deps);
  if (!lru) {
    lru = new LRUCache({ max: deps.config.auth.cacheSize, ttl: PRINCIPAL_TTL_MS });
    byApp.set(deps, lru);
  }
  return lru;
}

/** The entry under `key` (keys name the organization, or the whole credential's hash). */
export function lookup(deps: Deps, key: string): Principal | undefined {
  return lruOf(deps).get(key);
}

/** Whether an entry may still answer: same authorization version and not expired. */
export function isCurrent(p: Principal, version: string): boolean {
  return p.version === version && (p.expiresAt === null || p.expiresAt > Date.now());
}

export function remember(deps: Deps, key: string, p: Principal): void {
  if (p.version !== null) versions.set(p.actor, p.version);
  lruOf(deps).set(key, p);
}

/**
 * The organization's authorization version the actor was authenticated under, so the request's
 * own per-user lookups (`/auth/me`'s profile) need not read it again.
 */
export function authenticatedVersion(actor: Actor): string | undefined {
  return versions.get(actor);
}

/** How many principals this app keeps (for tests of the bound). */
export function cachedPrincipalCount(deps: Deps): number {
  return lruOf(deps).size;
}
