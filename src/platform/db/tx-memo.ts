import type { Tx } from './tenant.js';

const memos = new WeakMap<Tx, Map<string, Promise<unknown>>>();

/**
 * Loads a value once per transaction: a consumer handling a batch of events in one transaction
 * reads the organization's webhooks or workflows once, not once per event. Only for what the
 * transaction itself does not change, and keyed by everything the load depends on (the
 * organization included).
 */
export function oncePerTransaction<T>(tx: Tx, key: string, load: () => Promise<T>): Promise<T> {
  const known = memos.get(tx) ?? new Map<string, Promise<unknown>>();
  memos.set(tx, known);
  const hit = known.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const loading = load();
  known.set(key, loading);
  return loading;
}
