import type { Cache } from './index.js';

/**
 * An organization's change version: a token in the shared cache that moves after every commit
 * that wrote a domain event (every record create, update, delete, restore, merge, import batch
 * and erasure emits one). Caches of query answers (search typeahead) key their entries by it,
 * so one cache write invalidates every process's entries of that organization at once.
 */
const changeVersionKey = (organizationId: string) => `change-version:${organizationId}`;

/** How long a version is kept; an expired one reads as '0' and simply starts a new generation. */
const VERSION_TTL_SECONDS = 86_400;

/** The organization's current change version ('0' before its first change). */
export async function readChangeVersion(cache: Cache, organizationId: string): Promise<string> {
  return (await cache.get(changeVersionKey(organizationId))) ?? '0';
}

/** Moves the organization's change version on: every entry keyed by the old one is dead. */
export async function bumpChangeVersion(cache: Cache, organizationId: string): Promise<void> {
  // Time plus randomness: two processes bumping in the same millisecond still differ.
  const version = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  await cache.set(changeVersionKey(organizationId), version, VERSION_TTL_SECONDS);
}
