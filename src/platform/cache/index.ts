import { Redis } from 'ioredis';

/**
 * Shared short-lived state: rate-limit counters, the token denylist, cached lookups. In memory
 * for the embedded default; Redis when REDIS_URL is set, so several api processes agree.
 */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  /** Several keys in one round trip, in the order asked. */
  mget(keys: readonly string[]): Promise<Array<string | null>>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Increments a counter, starting its TTL window on the first hit; returns the count and seconds left. */
  incr(key: string, ttlSeconds: number): Promise<{ count: number; ttl: number }>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createMemoryCache(now: () => number = Date.now): Cache {
  const store = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const e = store.get(key);
    if (!e) return null;
    if (e.expiresAt <= now()) {
      store.delete(key);
      return null;
    }
    return e;
  };
  // Expired keys are also swept periodically so a long-running process does not grow unbounded.
  const sweep = setInterval(() => {
    const t = now();
    for (const [k, e] of store) if (e.expiresAt <= t) store.delete(k);
  }, 60_000);
  sweep.unref();
  return {
    kind: 'memory',
    get: async (key) => live(key)?.value ?? null,
    mget: async (keys) => keys.map((k) => live(k)?.value ?? null),
    set: async (key, value, ttl) => {
      store.set(key, { value, expiresAt: now() + ttl * 1000 });
    },
    del: async (key) => {
      store.delete(key);
    },
    incr: async (key, ttl) => {
      const e = live(key);
      if (!e) {
        store.set(key, { value: '1', expiresAt: now() + ttl * 1000 });
        return { count: 1, ttl };
      }
      e.value = String(Number(e.value) + 1);
      return { count: Number(e.value), ttl: Math.max(1, Math.ceil((e.expiresAt - now()) / 1000)) };
    },
    ping: async () => true,
    close: async () => clearInterval(sweep),
  };
}

export function createRedisCache(url: string, prefix = 'cerebro:'): Cache {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, keyPrefix: prefix });
  // Connection errors surface through commands and /readyz; the client reconnects by itself.
  redis.on('error', () => undefined);
  return {
    kind: 'redis',
    get: (key) => redis.get(key),
    mget: (keys) => redis.mget(...keys),
    set: async (key, value, ttl) => {
      await redis.set(key, value, 'EX', ttl);
    },
    del: async (key) => {
      await redis.del(key);
    },
    incr: async (key, ttl) => {
      const [[, count], [, left]] = (await redis.multi().incr(key).ttl(key).exec()) as [
        [null, number],
        [null, number],
      ];
      if (left < 0) await redis.expire(key, ttl);
      return { count, ttl: left < 0 ? ttl : left };
    },
    ping: async () => {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    close: async () => {
      await redis.quit();
    },
  };
}

export { bumpChangeVersion, readChangeVersion } from './change-version.js';
