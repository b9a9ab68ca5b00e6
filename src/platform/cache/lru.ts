/**
 * A bounded in-process map for values a process may keep for a short while: at most `max`
 * entries (the least recently used goes first) and each for at most `ttlMs`. A Map keeps
 * insertion order, so re-inserting on a hit makes its first key the least recently used.
 */
export interface Lru<V> {
  get(key: string): V | undefined;
  /** Keeps `value` for `ttlMs` (the map's default unless given). */
  set(key: string, value: V, ttlMs?: number): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createLru<V>(max: number, ttlMs: number, now: () => number = Date.now): Lru<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    set(key, value, ttl = ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + Math.min(ttl, ttlMs) });
      while (entries.size > max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
