import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { jobRow } from '../../../test/jobs.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { BULK_JOB } from './bulk.js';
import { bulkJob, processBulkOperations } from './jobs.js';

describe('bulk actions', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Bulk');
  });
  afterAll(() => t.close());
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const stepsOf = (id: string) =>
    withSystem(
      t.deps.database.db,
      async (tx) =>
        (
          await sql<{
            id: string;
            key: string;
            status: string;
            attempts: number;
          }>`select id, key, status, attempts from jobs where name = ${BULK_JOB} and key like ${`${id}:%`} order by created_at, id`.execute(
            tx,
          )
        ).rows,
    );
  const create = async (n: number, extra: Record<string, unknown> = {}, u: TestUser = admin) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (await api(u).post('/api/v1/contacts', { firstName: `Bulk${i}`, ...extra })).json().id,
      );
    return ids;
  };

  it('tags and re-statuses selected contacts inline, through the same rules as single edits', async () => {
    const ids = await create(5, { lastName: 'Tagged' });
    const res = await api().post('/api/v1/contacts/bulk', {
      ids,
      action: 'add_tag',
      tag: 'webinar',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'done',
      total: 5,
      processed: 5,
      succeeded: 5,
      skipped: 0,
    });
    const byFilter = await api().post('/api/v1/contacts/bulk', {
      filter: { 'filter[tags]': 'webinar' },
      action: 'update',
      field: 'status',
      value: 'PROSPECT',
    });
    expect(byFilter.json()).toMatchObject({ status: 'done', succeeded: 5 });
    const after = (await api().get('/api/v1/contacts?filter[lastName]=Tagged')).json().data;
    expect(
      after.every(
        (c: { status: string; tags: string[] }) =>
          c.status === 'PROSPECT' && c.tags.includes('webinar'),
      ),
    ).toBe(true);
    const bad = await api().post('/api/v1/contacts/bulk', {
      ids,
      action: 'update',
      field: 'status',
      value: 'WHALE',
    });
    expect(bad.json()).toMatchObject({ succeeded: 0, skipped: 5 });
  });

  it("skips records outside the actor's scope and says why", async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    const mate = await addUser(t.app, admin, 'sales_rep');
    await createTeam(t.app, admin, 'Bulkers', [{ userId: rep.userId }, { userId: mate.userId }]);
    const mine = await create(2, { lastName: 'Mine' }, rep);
    const theirs = await create(2, { lastName: 'Theirs' }, mate);
    const res = (
      await api(rep).post('/api/v1/contacts/bulk', { ids: [...mine, ...theirs], action: 'delete' })
    ).json();
    expect(res).toMatchObject({ total: 4, succeeded: 2, skipped: 2 });
    expect(res.errors.map((e: { id: string }) => e.id).sort()).toEqual([...theirs].sort());
    expect((await api(mate).get(`/api/v1/contacts/${theirs[0]}`)).statusCode).toBe(200);
  });

  it('queues large selections and finishes them in batches with progress', async () => {
    await create(205, { lastName: 'Many', source: 'import' });
    const res = await api().post('/api/v1/contacts/bulk', {
      filter: { 'filter[lastName]': 'Many' },
      action: 'update',
      field: 'source',
      value: 'trade show',
    });
    expect(res.statusCode).toBe(202);
    const op = res.json();
    expect(op).toMatchObject({ status: 'queued', total: 205, processed: 0 });
    await t.deps.jobs.runDue();
    expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({
      status: 'running',
      processed: 200,
    });
    await t.deps.jobs.runDue();
    expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({
      status: 'done',
      processed: 205,
      succeeded: 205,
    });
    expect(
      (await api().get('/api/v1/contacts?filter[source]=trade%20show&count=true&limit=1')).json()
        .meta.total,
    ).toBe(205);
    // A job per batch, keyed by where it starts; each succeeded once.
    const steps = await stepsOf(op.id);
    expect(steps.map((s) => [s.key, s.status, s.attempts])).toEqual([
      [`${op.id}:0`, 'succeeded', 1],
      [`${op.id}:200`, 'succeeded', 1],
    ]);
    // A step run again (a duplicate delivery, a stale worker) finds its batch saved and does nothing.
    const first = await jobRow(t.deps, steps[0]?.id ?? '');
    await bulkJob.handle(
      {
        id: first.id,
        organizationId: first.organization_id,
        name: BULK_JOB,
        payload: first.payload,
        attempt: 2,
        maxAttempts: 5,
        complete: async () => undefined,
      },
      t.deps,
    );
    expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({
      status: 'done',
      processed: 205,
      succeeded: 205,
      error: null,
    });
    expect(await stepsOf(op.id)).toHaveLength(2);
  });

  it('fails a queued operation with the reason when its job fails for good (its creator was disabled), and lists the job as failed', async () => {
    const deputy = await addUser(t.app, admin, 'admin');
    const res = await api(deputy).post('/api/v1/contacts/bulk', {
      filter: { 'filter[lastName]': 'Many' },
      action: 'add_tag',
      tag: 'never',
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(
      (await api().patch(`/api/v1/users/${deputy.userId}`, { status: 'disabled' })).statusCode,
    ).toBe(200);
    expect(await processBulkOperations(t.deps)).toBe(1);
    const op = (await api().get(`/api/v1/bulk-operations/${res.json().id}`)).json();
    expect(op).toMatchObject({
      status: 'failed',
      processed: 0,
      error: expect.stringContaining('no longer active'),
      finishedAt: expect.any(String),
    });
    expect(
      (await api().get('/api/v1/contacts?filter[tags]=never&count=true&limit=1')).json().meta.total,
    ).toBe(0);
    const failed = (
      await api().get(`/api/v1/jobs?filter[status]=failed&filter[name]=${BULK_JOB}`)
    ).json().data;
    expect(failed).toEqual([
      expect.objectContaining({
        key: `${op.id}:0`,
        attempts: 1,
        lastError: expect.stringContaining('no longer active'),
      }),
    ]);
  });

  it('rejects malformed requests naming the field', async () => {
    expect(
      errorOf(await api().post('/api/v1/contacts/bulk', { action: 'delete' })).details?.[0]?.path,
    ).toBe('ids');
    expect(
      errorOf(
        await api().post('/api/v1/contacts/bulk', {
          ids: ['0190a000-0000-7000-8000-000000000001'],
          action: 'update',
        }),
      ).details?.[0]?.path,
    ).toBe('field');
    expect(
      errorOf(
        await api().post('/api/v1/contacts/bulk', {
          ids: ['0190a000-0000-7000-8000-000000000001'],
          action: 'update',
          field: 'password',
          value: 'x',
        }),
      ).details?.[0]?.path,
    ).toBe('field');
    const other = await registerOrganization(t.app, 'OtherBulk');
    const op = (
      await api().post('/api/v1/contacts/bulk', {
        ids: ['0190a000-0000-7000-8000-000000000001'],
        action: 'delete',
      })
    ).json();
    expect(
      (await client(t.app, other.token).get(`/api/v1/bulk-operations/${op.id}`)).statusCode,
    ).toBe(404);
  });
});
