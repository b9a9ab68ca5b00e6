import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.js';
import { oncePerTransaction, withSystem, type Database } from './index.js';

describe('a value loaded once per transaction', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
  });
  afterAll(() => dispose());

  it('is loaded once per key within a transaction, and again in the next transaction', async () => {
    const loads: string[] = [];
    const load = (key: string) => async () => {
      loads.push(key);
      return `${key}:${loads.length}`;
    };
    const first = await withSystem(database.db, async (tx) => [
      await oncePerTransaction(tx, 'a', load('a')),
      await oncePerTransaction(tx, 'a', load('a')),
      await oncePerTransaction(tx, 'b', load('b')),
    ]);
    expect(first).toEqual(['a:1', 'a:1', 'b:2']);
    const second = await withSystem(database.db, (tx) => oncePerTransaction(tx, 'a', load('a')));
    expect(second).toBe('a:3');
    expect(loads).toEqual(['a', 'b', 'a']);
  });
});
