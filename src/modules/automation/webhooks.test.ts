import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { decrypt } from '../../platform/crypto/index.js';
import { withSystem } from '../../platform/db/index.js';

const PUBLIC_URL = 'https://93.184.215.14/hooks/cerebro';
const FOREIGN_ID = '0190a000-0000-7000-8000-0000000000ff';

describe('webhooks API', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Hooks');
    other = await registerOrganization(t.app, 'Elsewhere');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const create = (body: Record<string, unknown> = {}, u: TestUser = admin) =>
    api(u).post('/api/v1/webhooks', { url: PUBLIC_URL, eventTypes: ['contact.created'], ...body });

  it('creates a webhook, showing the secret once and storing it sealed, with an audit entry', async () => {
    const res = await create({
      eventTypes: ['contact.created', 'deal.*', 'deal.*'],
      description: 'ERP sync',
    });
    expect(res.statusCode, res.body).toBe(201);
    const hook = res.json();
    expect(hook).toMatchObject({
      url: PUBLIC_URL,
      eventTypes: ['contact.created', 'deal.*'],
      description: 'ERP sync',
      active: true,
      consecutiveFailures: 0,
      disabledReason: null,
      createdBy: admin.userId,
      version: 1,
    });
    expect(hook.secret).toMatch(/^whsec_[\w-]{32}$/);
    expect(hook.secretHint).toBe(`…${(hook.secret as string).slice(-4)}`);

    const read = (await api().get(`/api/v1/webhooks/${hook.id}`)).json();
    expect(read.secret).toBeUndefined();
    expect(read.secretHint).toBe(hook.secretHint);
    expect(
      (await api().get('/api/v1/webhooks'))
        .json()
        .data.map((w: { id: string; secret?: string }) => [w.id, w.secret]),
    ).toEqual([[hook.id, undefined]]);

    const stored = await withSystem(t.deps.database.db, async (tx) => ({
      row: await tx
        .withTables<{ webhooks: { id: string; secret_enc: string } }>()
        .selectFrom('webhooks')
        .select('secret_enc')
        .where('id', '=', hook.id)
        .executeTakeFirstOrThrow(),
      audit: await tx
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'diff'])
        .where('target_id', '=', hook.id)
        .execute(),
    }));
    expect(stored.row.secret_enc).not.toContain(hook.secret);
    expect(decrypt(t.deps.secretKey, stored.row.secret_enc)).toBe(hook.secret);
    expect(stored.audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['webhook.created', admin.userId],
    ]);
    expect(JSON.stringify(stored.audit)).not.toContain(hook.secret);
  });

  it('rejects bad input naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: undefined }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://93.184.215.14/drop' }, 'url'],
      [{ url: 'file:///etc/passwd' }, 'url'],
      [{ eventTypes: [] }, 'eventTypes'],
      [{ eventTypes: 'contact.created' }, 'eventTypes'],
      [{ eventTypes: ['contact.created', 'Contact Created'] }, 'eventTypes.1'],
      [{ active: 'yes' }, 'active'],
      [{ secret: 'mine' }, 'secret'],
    ];
    for (const [body, path] of cases) {
      const res = await create(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
  });

  it('refuses URLs that reach loopback, private, link-local, CGNAT or ULA addresses (400 naming url)', async () => {
    const before = (await api().get('/api/v1/webhooks?count=true')).json().meta.total as number;
    for (const url of [
      'http://10.0.0.1/hook',
      'http://192.168.1.20/hook',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest',
      'http://100.64.1.1/',
      'http://[fd00::1]/',
      'http://0.0.0.0/',
    ]) {
      const res = await create({ url });
      expect(res.statusCode, url).toBe(400);
      expect(errorOf(res).details, url).toEqual([
        { path: 'url', message: expect.stringMatching(/loopback, private or link-local/) },
      ]);
    }
    expect((await api().get('/api/v1/webhooks?count=true')).json().meta.total).toBe(before);
    // The allow-listed host passes; so does a PATCH check, which refuses the same way.
    const allowed = await create({ url: 'http://127.0.0.1:9/hook' });
    expect(allowed.statusCode, allowed.body).toBe(201);
    const patch = await api().patch(`/api/v1/webhooks/${allowed.json().id}`, {
      url: 'http://10.1.1.1/',
    });
    expect(patch.statusCode).toBe(400);
    expect(errorOf(patch).details?.[0]?.path).toBe('url');
    expect((await api().get(`/api/v1/webhooks/${allowed.json().id}`)).json().url).toBe(
      'http://127.0.0.1:9/hook',
    );
  });

  it('refuses loopback when the operator allow-listed nothing', async () => {
    const strict = await createTestApp();
    try {
      const owner = await registerOrganization(strict.app, 'Strict');
      const res = await client(strict.app, owner.token).post('/api/v1/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        eventTypes: ['*'],
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details?.[0]?.path).toBe('url');
    } finally {
      await strict.close();
    }
  });

  it("answers 401 without a token, 404 for another organization's webhook, 403 without the permission", async () => {
    const mine = (await create()).json();
    expect((await client(t.app).get('/api/v1/webhooks')).statusCode).toBe(401);
    for (const res of [
      await api(other).get(`/api/v1/webhooks/${mine.id}`),
      await api(other).patch(`/api/v1/webhooks/${mine.id}`, { active: false }),
      await api(other).delete(`/api/v1/webhooks/${mine.id}`),
      await api(other).post(`/api/v1/webhooks/${mine.id}/rotate-secret`),
      await api(other).get(`/api/v1/webhooks/${mine.id}/deliveries`),
      await api(other).post(`/api/v1/webhooks/${mine.id}/replay`, {
        since: new Date(0).toISOString(),
      }),
      await api().get(`/api/v1/webhooks/${FOREIGN_ID}`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api(other).get('/api/v1/webhooks')).json().data).toEqual([]);
    expect((await api().get(`/api/v1/webhooks/${mine.id}`)).json().active).toBe(true);

    const rep = await addUser(t.app, admin, 'sales_rep');
    for (const res of [
      await api(rep).get('/api/v1/webhooks'),
      await create({}, rep),
      await api(rep).patch(`/api/v1/webhooks/${mine.id}`, { active: false }),
      await api(rep).post(`/api/v1/webhooks/${mine.id}/rotate-secret`),
      await api(rep).get(`/api/v1/webhooks/${mine.id}/deliveries`),
      await api(rep).post(`/api/v1/webhooks/${mine.id}/replay`, {
        since: new Date(0).toISOString(),
      }),
      await api(rep).post(`/api/v1/webhook-deliveries/${FOREIGN_ID}/redeliver`),
      await api(rep).delete(`/api/v1/webhooks/${mine.id}`),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
  });

  it('updates with versions, rotates the secret, and deletes', async () => {
    const hook = (await create()).json();
    const ok = await api().patch(
      `/api/v1/webhooks/${hook.id}`,
      { eventTypes: ['*'], description: null },
      { 'if-match': '1' },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ eventTypes: ['*'], version: 2 });
    const stale = await api().patch(
      `/api/v1/webhooks/${hook.id}`,
      { active: false },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(412);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json().active).toBe(true);

    const rotated = await api().post(`/api/v1/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(hook.secret);
    const sealed = await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<{ webhooks: { id: string; secret_enc: string } }>()
        .selectFrom('webhooks')
        .select('secret_enc')
        .where('id', '=', hook.id)
        .executeTakeFirstOrThrow(),
    );
    expect(decrypt(t.deps.secretKey, sealed.secret_enc)).toBe(rotated.json().secret);

    expect((await api().delete(`/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).statusCode).toBe(404);
  });

  it('pages through webhooks', async () => {
    const owner = await registerOrganization(t.app, 'Pages');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await create({ description: `hook ${i}` }, owner)).json().id);
    const first = (await api(owner).get('/api/v1/webhooks?limit=2&count=true')).json();
    expect(first.meta.total).toBe(3);
    const second = (
      await api(owner).get(`/api/v1/webhooks?limit=2&cursor=${first.meta.nextCursor}`)
    ).json();
    expect([...first.data, ...second.data].map((w: { id: string }) => w.id)).toEqual(ids);
    expect(second.meta.nextCursor).toBeNull();
  });
});
