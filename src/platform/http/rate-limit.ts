import type { Cache } from '../cache/index.js';
import { errors } from '../errors/index.js';

/** Counts a hit on `key` in a fixed window; throws 429 with Retry-After past `limit`. */
export async function consumeRateLimit(
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<void> {
  const { count, ttl } = await cache.incr(`rl:${key}`, windowSeconds);
  if (count > limit) throw errors.rateLimited(ttl);
}
