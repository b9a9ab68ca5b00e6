import { connect, type ChannelModel } from 'amqplib';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAmqpProxy, TEST_AMQP_URL, uniqueAmqpPrefix } from '../../../test/amqp.js';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { enqueueAs, eventually, gate, jobRow } from '../../../test/jobs.js';
import { withSystem } from '../db/index.js';
import { dueJobMessage } from './amqp-topology.js';
import { claimDue } from './store.js';
import {
  createAmqpJobQueue,
  createJobRunner,
  deleteJobTopology,
  jobTopology,
  type AmqpJobQueueOptions,
  type JobHandler,
  type JobRunner,
} from './index.js';

describe('jobs on RabbitMQ', () => {
  let t: TestApp;
  let org: string;
  let broker: ChannelModel;
  const prefixes = new Set<string>();
  const running: JobRunner[] = [];
  const silent = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as AmqpJobQueueOptions['log'];

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Jobs on AMQP');
    broker = await connect(TEST_AMQP_URL);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((q) => q.stop()));
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deleteJobTopology(TEST_AMQP_URL, jobTopology(prefix));
    await broker.close();
    await t.close();
  });

  /** A worker: a runner that claims nothing by polling, fed by the queue of `prefix`. */
  function worker(
    prefix: string,
    handlers: JobHandler[],
    options: Partial<AmqpJobQueueOptions> & { leaseMs?: number } = {},
  ): JobRunner {
    prefixes.add(prefix);
    const { leaseMs, ...queueOptions } = options;
    const runner = createJobRunner(t.deps, handlers, {
      claimOnPoll: false,
      retryBaseMs: 20,
      leaseMs: leaseMs ?? 5_000,
      pollMs: 50,
    });
    const queue = createAmqpJobQueue(t.deps.database.db, runner, {
      url: TEST_AMQP_URL,
      prefix,
      consume: true,
      pollMs: 50,
      now: () => new Date(),
      log: silent,
      reconnect: { baseMs: 20, maxMs: 100 },
      ...queueOptions,
    });
    running.push(queue);
    return queue;
  }

  /** A handler that counts its runs per job and per worker. */
  function counting(
    name: string,
    label: string,
    runs: Map<string, string[]>,
    delayMs = 0,
  ): JobHandler {
    return {
      name,
      handle: async (job) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), label]);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      },
    };
  }

  const statusOf = async (id: string) => (await jobRow(t.deps, id)).status;

  it('hands due jobs to the consuming workers, each job run once, spread over the workers', async () => {
    const prefix = uniqueAmqpPrefix('jobs-spread');
    const runs = new Map<string, string[]>();
    const a = worker(prefix, [counting('test.spread', 'a', runs, 30)]);
    const b = worker(prefix, [counting('test.spread', 'b', runs, 30)]);
    a.start();
    b.start();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push(
        await enqueueAs(t.deps, { organizationId: org, name: 'test.spread', payload: { i } }),
      );
    a.wake();
    await eventually(
      async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'succeeded'),
      20_000,
    );
    expect(ids.map((id) => runs.get(id)?.length)).toEqual(ids.map(() => 1));
    const byWorker = [...runs.values()].flat();
    expect(byWorker.filter((w) => w === 'a').length).toBeGreaterThan(0);
    expect(byWorker.filter((w) => w === 'b').length).toBeGreaterThan(0);
    expect(a.kind).toBe('rabbitmq');
  });

  it('dispatches a delayed job only once it is due', async () => {
    const runs = new Map<string, string[]>();
    const q = worker(uniqueAmqpPrefix('jobs-delay'), [counting('test.delayed', 'q', runs)]);
    q.start();
    const runAt = new Date(Date.now() + 600);
    const id = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.delayed',
      payload: {},
      runAt,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await jobRow(t.deps, id)).toMatchObject({ status: 'pending', dispatched_at: null });
    await eventually(async () => (await statusOf(id)) === 'succeeded', 10_000);
    expect((await jobRow(t.deps, id)).started_at?.getTime()).toBeGreaterThanOrEqual(
      runAt.getTime(),
    );
  });

  it('dispatches every retry of a failing job again, then leaves it failed with its error', async () => {
    let attempts = 0;
    const q = worker(uniqueAmqpPrefix('jobs-retry'), [
      {
        name: 'test.failing',
        handle: async () => {
          attempts++;
          throw new Error(`no luck ${attempts}`);
        },
      },
    ]);
    q.start();
    const id = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.failing',
      payload: {},
      maxAttempts: 3,
    });
    q.wake();
    await eventually(async () => (await statusOf(id)) === 'failed', 15_000);
    expect(attempts).toBe(3);
    expect(await jobRow(t.deps, id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'no luck 3',
    });
  });

  it('takes over the job of a worker that died holding it once the lease expires', async () => {
    const runs = new Map<string, string[]>();
    const q = worker(uniqueAmqpPrefix('jobs-takeover'), [counting('test.orphaned', 'q', runs)]);
    // Started first: an embedded start releases the jobs a previous process left running.
    q.start();
    await new Promise((r) => setTimeout(r, 200));
    const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.orphaned', payload: {} });
    // A worker claims it for 400 ms and is never heard of again (no renewal, no outcome).
    const [claimed] = (
      await claimDue(t.deps.database.db, new Date(), 400, 1, { organizationId: org, id })
    ).claimed;
    expect(claimed?.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs.size).toBe(0);
    await eventually(async () => (await statusOf(id)) === 'succeeded', 10_000);
    expect(runs.get(id)).toEqual(['q']);
    expect((await jobRow(t.deps, id)).attempts).toBe(2);
  });

  it('runs a job once when its message arrives several times', async () => {
    const prefix = uniqueAmqpPrefix('jobs-dupes');
    const runs = new Map<string, string[]>();
    const open = gate();
    const q = worker(prefix, [
      {
        name: 'test.dupe',
        handle: async (job) => (runs.set(job.id, [...(runs.get(job.id) ?? []), 'q']), open.promise),
      },
    ]);
    q.start();
    const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.dupe', payload: {} });
    q.wake();
    await eventually(() => runs.has(id));
    // Two more messages for the job while it runs, and one after it finished.
    const channel = await broker.createChannel();
    const send = () => {
      const m = dueJobMessage(jobTopology(prefix), { organizationId: org, id });
      channel.publish(m.exchange, m.routingKey, m.body, m.properties);
    };
    send();
    send();
    await new Promise((r) => setTimeout(r, 100));
    open.open();
    await eventually(async () => (await statusOf(id)) === 'succeeded');
    send();
    await eventually(
      async () => (await channel.checkQueue(jobTopology(prefix).queue)).messageCount === 0,
    );
    await new Promise((r) => setTimeout(r, 100));
    await channel.close();
    expect(runs.get(id)).toEqual(['q']);
  });

  it('leaves jobs waiting in the table while the broker is unreachable, and runs them after it is back', async () => {
    const proxy = await startAmqpProxy();
    try {
      proxy.refuse(true);
      const runs = new Map<string, string[]>();
      const q = worker(uniqueAmqpPrefix('jobs-outage'), [counting('test.outage', 'q', runs)], {
        url: proxy.url,
      });
      q.start();
      const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.outage', payload: {} });
      await new Promise((r) => setTimeout(r, 400));
      expect(await jobRow(t.deps, id)).toMatchObject({ status: 'pending', dispatched_at: null });
      proxy.refuse(false);
      await eventually(async () => (await statusOf(id)) === 'succeeded', 15_000);
      expect(runs.get(id)).toEqual(['q']);
    } finally {
      await proxy.close();
    }
  });

  it('dispatches again a job whose message was lost (its mark outlived the re-dispatch window)', async () => {
    const runs = new Map<string, string[]>();
    const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.lost', payload: {} });
    // Marked dispatched long ago, but the broker never had the message (a purged queue).
    await withSystem(t.deps.database.db, (tx) =>
      sql`update jobs set dispatched_at = now() - interval '1 hour' where id = ${id}`.execute(tx),
    );
    const q = worker(uniqueAmqpPrefix('jobs-lost'), [counting('test.lost', 'q', runs)], {
      redispatchMs: 60_000,
    });
    q.start();
    await eventually(async () => (await statusOf(id)) === 'succeeded', 10_000);
    expect(runs.get(id)).toEqual(['q']);
  });

  it('runDue dispatches what is due and waits for this process to run it', async () => {
    const runs = new Map<string, string[]>();
    const q = worker(uniqueAmqpPrefix('jobs-rundue'), [counting('test.rundue', 'q', runs)]);
    const ids = [
      await enqueueAs(t.deps, { organizationId: org, name: 'test.rundue', payload: {} }),
      await enqueueAs(t.deps, { organizationId: org, name: 'test.rundue', payload: {} }),
    ];
    expect(await q.runDue()).toBe(2);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['succeeded', 'succeeded']);
    expect(await q.runDue()).toBe(0);
  });
});
