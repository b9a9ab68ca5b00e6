import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

interface MailPage {
  data: Array<{ id: string; to: string; subject: string }>;
  meta: { nextCursor: string | null; total?: number };
}

describe('the dev mailbox list', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let rep: TestUser;
  const api = () => client(t.app, admin.token);
  const list = async (query: string): Promise<MailPage> => {
    const res = await api().get(`/api/v1/mailbox${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Mail');
    other = await registerOrganization(t.app, 'Other mail');
    rep = await addUser(t.app, admin, 'sales_rep');
    // 230 captured messages (more than a page of 200 ever showed), through the real dev mailer.
    await withSystem(t.deps.database.db, async (tx) => {
      for (let i = 0; i < 230; i++) {
        const to = i % 3 === 0 ? 'Ada@Example.com' : `person${i}@example.com`;
        await t.deps.mailer.send(tx, {
          organizationId: admin.organizationId,
          to,
          subject: i % 10 === 0 ? `Weekly 100% report ${i}` : `Message ${i}`,
          text: 'x',
        });
      }
      await t.deps.mailer.send(tx, {
        organizationId: other.organizationId,
        to: 'ada@example.com',
        subject: 'Theirs',
        text: 'x',
      });
    });
  });
  afterAll(async () => t.close());

  it('pages through every message, newest first, with a total on request', async () => {
    const first = await list('?limit=100&count=true');
    expect(first.data).toHaveLength(100);
    expect(first.meta.total).toBe(231); // the 230 and the rep's invitation
    expect(first.data[0]?.subject).toBe('Message 229');
    const seen = [...first.data];
    let cursor = first.meta.nextCursor;
    while (cursor) {
      const page = await list(`?limit=100&cursor=${cursor}`);
      expect(page.meta.total).toBeUndefined();
      seen.push(...page.data);
      cursor = page.meta.nextCursor;
    }
    expect(seen).toHaveLength(231);
    expect(new Set(seen.map((m) => m.id)).size).toBe(231);
    expect(seen.at(-1)?.to).toBe(rep.email);
    expect((await list('')).data).toHaveLength(50);
  });

  it('filters by recipient, whatever the case, and by subject text, paging within the filter', async () => {
    const ada = await list('?filter[to]=ada@example.COM&limit=30&count=true');
    expect(ada.meta.total).toBe(77);
    expect(ada.data.every((m) => m.to === 'Ada@Example.com')).toBe(true);
    const rest = await list(
      `?filter[to]=ada@example.com&limit=100&cursor=${ada.meta.nextCursor ?? ''}`,
    );
    expect(rest.data).toHaveLength(47);
    expect(rest.meta.nextCursor).toBeNull();
    const weekly = await list(`?q=${encodeURIComponent('100% REPORT')}&count=true`);
    expect(weekly.meta.total).toBe(23);
    // `%` is the character typed, not a wildcard: "Message 1" does not match "1%".
    expect((await list(`?q=${encodeURIComponent('1%')}`)).data).toEqual([]);
    expect((await list('?filter[to]=ada@example.com&q=Weekly&count=true')).meta.total).toBe(8);
    expect((await list('?filter[to]=nobody@example.com')).data).toEqual([]);
  });

  it('answers 400 naming the field for bad paging and filters', async () => {
    for (const [query, path] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?filter[to]=', 'filter[to]'],
      ['?filter[from]=x', ''],
    ] as const) {
      const res = await api().get(`/api/v1/mailbox${query}`);
      expect(res.statusCode, query).toBe(400);
      if (path)
        expect(
          errorOf(res).details?.map((d) => d.path),
          query,
        ).toContain(path);
    }
  });

  it('shows each organization only its own mail, to those allowed to read it', async () => {
    const theirs = (
      await client(t.app, other.token).get('/api/v1/mailbox?filter[to]=ada@example.com')
    ).json<MailPage>();
    expect(theirs.data.map((m) => m.subject)).toEqual(['Theirs']);
    expect(
      (
        await client(t.app, other.token).get(
          `/api/v1/mailbox/${(await list('?limit=1')).data[0]?.id ?? ''}`,
        )
      ).statusCode,
    ).toBe(404);
    expect((await client(t.app).get('/api/v1/mailbox')).statusCode).toBe(401);
    expect((await client(t.app, rep.token).get('/api/v1/mailbox')).statusCode).toBe(403);
  });
});
