import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../interfaces/server/data-dir-lock.js';
import { migrate, openEmbedded, sql } from './index.js';

const WRITER = path.resolve(import.meta.dirname, '../../../test/fixtures/durable-writer.ts');
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'cerebro-durability-'));
  dirs.push(d);
  return d;
}

function writer(
  dataDir: string,
  start: number,
  mode?: string,
): { child: ChildProcess; acks: number[]; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WRITER, dataDir, String(start), ...(mode ? [mode] : [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acks: number[] = [];
  let buffer = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready' || line === 'opened') markReady();
      else if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, acks, ready, exited };
}

const until = async (check: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('durability of the embedded database', () => {
  it('keeps every acknowledged write across repeated SIGKILLs mid-stream', async () => {
    const dataDir = await tempDir();
    const acknowledged = new Set<number>();
    let next = 1;
    for (let cycle = 0; cycle < 4; cycle++) {
      const w = writer(dataDir, next);
      await w.ready;
      const target = 15 + Math.floor(Math.random() * 40);
      await until(() => w.acks.length >= target, 60_000);
      w.child.kill('SIGKILL');
      await w.exited;
      for (const n of w.acks) acknowledged.add(n);
      next = Math.max(...acknowledged) + 1;
    }
    const database = await openEmbedded(dataDir);
    try {
      const rows = await sql<{ n: number }>`select n from durability_probe order by n`.execute(
        database.db,
      );
      const present = new Set(rows.rows.map((r) => r.n));
      const lost = [...acknowledged].filter((n) => !present.has(n));
      expect(lost).toEqual([]);
      expect(acknowledged.size).toBeGreaterThanOrEqual(60);
      // Rows past the last ack may or may not have committed; nothing else may be there.
      expect(Math.max(...present)).toBeLessThanOrEqual(next);
      const check = await sql<{
        ok: boolean;
      }>`select count(*) = count(distinct n) as ok from durability_probe`.execute(database.db);
      expect(check.rows[0]?.ok).toBe(true);
    } finally {
      await database.close();
    }
  }, 180_000);

  it('recovers from a process killed during the very first start', async () => {
    const dataDir = await tempDir();
    // Kill each child once its half-made cluster exists (not after a fixed delay: on a busy
    // machine the child may not have started initializing yet), at a few points inside initdb.
    for (const afterMs of [0, 300, 800]) {
      const earlier = new Set(await readdir(dataDir));
      const w = writer(dataDir, 1, 'open-only');
      const until = Date.now() + 30_000;
      while (
        Date.now() < until &&
        !(await readdir(dataDir)).some((f) => f.startsWith('pgdata.init-') && !earlier.has(f))
      )
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, afterMs));
      w.child.kill('SIGKILL');
      await w.exited;
    }
    // The kills landed mid-initialization: a half-made temp cluster, no cluster in place yet.
    const before = await readdir(dataDir);
    expect(before.some((f) => f.startsWith('pgdata.init-'))).toBe(true);
    expect(before).not.toContain('pgdata');
    const database = await openEmbedded(dataDir);
    try {
      const result = await migrate(database.db);
      expect(result.current).toBeGreaterThan(0);
      const one = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(one.rows[0]?.one).toBe(1);
    } finally {
      await database.close();
    }
    const leftovers = (await readdir(dataDir)).filter((f) => f.startsWith('pgdata.init-'));
    expect(leftovers).toEqual([]);
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(true);
  }, 120_000);

  it('lets one process hold a data directory and takes over a stale claim', async () => {
    const dataDir = await tempDir();
    const release = await lockDataDir(dataDir);
    // Another live process holds it: this test's parent stands in for one.
    await writeFile(path.join(dataDir, 'cerebro.pid'), String(process.ppid));
    await expect(lockDataDir(dataDir)).rejects.toThrow(/in use by another Cerebro process/);
    // A pid that no longer runs (a SIGKILLed server) is a stale claim.
    await writeFile(path.join(dataDir, 'cerebro.pid'), '999999');
    const again = await lockDataDir(dataDir);
    await again();
    await release();
  });
});
