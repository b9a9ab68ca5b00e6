import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../platform/db/index.js';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

const LISTS = '/api/v1/price-lists';
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Listed {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  active: boolean;
  version: number;
  entries: Array<{ productId: string; unitPrice: number }>;
}

describe('price lists', () => {
  let t: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let rep: TestUser;
  let other: TestUser;
  let widget: string;
  let gadget: string;
  let euroOnly: string;
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const product = async (name: string, unitPrice: number, currency = 'USD') => {
    const res = await api().post('/api/v1/products', { name, unitPrice, currency });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const create = async (body: Record<string, unknown>, u: TestUser = admin) => {
    const res = await api(u).post(LISTS, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Listed>();
  };
  const storedEntries = async (listId: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql<{
          product_id: string;
          unit_price: string;
        }>`select product_id, unit_price from price_list_entries where price_list_id = ${listId} order by unit_price`.execute(
          tx,
        ),
      )
    ).rows.map((r) => ({ productId: r.product_id, unitPrice: Number(r.unit_price) }));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Prices');
    manager = await addUser(t.app, admin, 'sales_manager');
    rep = await addUser(t.app, admin, 'sales_rep');
    other = await registerOrganization(t.app, 'Elsewhere');
    widget = await product('Widget', 10_000);
    gadget = await product('Gadget', 25_000);
    euroOnly = await product('Euro kit', 8_000, 'EUR');
  });
  afterAll(() => t.close());

  it('creates, reads, updates (If-Match) and deletes a list with its entries', async () => {
    const list = await create({
      name: ' Partners ',
      currency: 'usd',
      entries: [
        { productId: widget, unitPrice: 9_000 },
        { productId: gadget, unitPrice: 20_000 },
      ],
    });
    expect(list).toMatchObject({
      name: 'Partners',
      currency: 'USD',
      isDefault: false,
      active: true,
      version: 1,
    });
    expect(await storedEntries(list.id)).toEqual([
      { productId: widget, unitPrice: 9_000 },
      { productId: gadget, unitPrice: 20_000 },
    ]);
    const read = await api(rep).get(`${LISTS}/${list.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<Listed>().entries).toHaveLength(2);

    const patched = await api().patch(
      `${LISTS}/${list.id}`,
      { name: 'Partners 2027', entries: [{ productId: gadget, unitPrice: 19_000 }] },
      { 'if-match': '1' },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Partners 2027',
      version: 2,
      entries: [{ productId: gadget, unitPrice: 19_000 }],
    });
    expect(await storedEntries(list.id)).toEqual([{ productId: gadget, unitPrice: 19_000 }]);
    // A PATCH without entries keeps them.
    const renamed = await api().patch(`${LISTS}/${list.id}`, { active: false });
    expect(renamed.json()).toMatchObject({
      active: false,
      version: 3,
      entries: [{ productId: gadget }],
    });

    const stale = await api().patch(`${LISTS}/${list.id}`, { name: 'Late' }, { 'if-match': '1' });
    expect(stale.statusCode).toBe(412);
    expect(errorOf(stale).code).toBe('VERSION_MISMATCH');
    expect((await api().get(`${LISTS}/${list.id}`)).json()).toMatchObject({
      name: 'Partners 2027',
    });

    const audit = await withSystem(t.deps.database.db, (tx) =>
      sql<{
        action: string;
      }>`select action from audit_log where target_id = ${list.id} order by seq`.execute(tx),
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'price_list.created',
      'price_list.updated',
      'price_list.updated',
    ]);

    expect((await api().delete(`${LISTS}/${list.id}`)).statusCode).toBe(204);
    expect((await api().get(`${LISTS}/${list.id}`)).statusCode).toBe(404);
    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', list.id)
        .orderBy('position')
        .execute(),
    );
    // The refused stale PATCH wrote nothing.
    expect(events.map((e) => e.type)).toEqual([
      'price_list.created',
      'price_list.updated',
      'price_list.updated',
      'price_list.deleted',
    ]);
    expect((await api().get(LISTS)).json<{ data: Listed[] }>().data.map((l) => l.id)).not.toContain(
      list.id,
    );
    expect((await api().delete(`${LISTS}/${list.id}`)).statusCode).toBe(404);
  });

  it('refuses an unknown, foreign or repeated product with 422 naming entries.N.productId', async () => {
    const foreignProduct = (
      await api(other).post('/api/v1/products', { name: 'Theirs', unitPrice: 1, currency: 'USD' })
    ).json<{ id: string }>().id;
    const unknown = await api().post(LISTS, {
      name: 'Bad',
      currency: 'USD',
      entries: [
        { productId: widget, unitPrice: 1 },
        { productId: MISSING, unitPrice: 1 },
        { productId: foreignProduct, unitPrice: 1 },
      ],
    });
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown)).toMatchObject({
      code: 'REFERENCE_NOT_FOUND',
      details: [{ path: 'entries.1.productId' }, { path: 'entries.2.productId' }],
    });
    const twice = await api().post(LISTS, {
      name: 'Twice',
      currency: 'USD',
      entries: [
        { productId: widget, unitPrice: 1 },
        { productId: widget, unitPrice: 2 },
      ],
    });
    expect(twice.statusCode).toBe(422);
    expect(errorOf(twice)).toMatchObject({
      code: 'SALES_PRICE_LIST_DUPLICATE_PRODUCT',
      details: [{ path: 'entries.1.productId' }],
    });
    const names = (await api().get(LISTS)).json<{ data: Listed[] }>().data.map((l) => l.name);
    expect(names).not.toContain('Bad');
    expect(names).not.toContain('Twice');
  });

  it('answers 400 naming the field for malformed input', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ currency: 'USD' }, 'name'],
      [{ name: 'X', currency: 'DOLLARS' }, 'currency'],
      [
        { name: 'X', currency: 'USD', entries: [{ productId: widget, unitPrice: 1.5 }] },
        'entries.0.unitPrice',
      ],
      [
        { name: 'X', currency: 'USD', entries: [{ productId: 'nope', unitPrice: 1 }] },
        'entries.0.productId',
      ],
      [{ name: 'X', currency: 'USD', color: 'red' }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await api().post(LISTS, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      if (path) expect(errorOf(res).details?.map((d) => d.path)).toContain(path);
    }
    const list = await create({ name: 'Plain', currency: 'USD' });
    const badMatch = await api().patch(`${LISTS}/${list.id}`, { name: 'Y' }, { 'if-match': 'x' });
    expect(badMatch.statusCode).toBe(400);
    expect(errorOf(badMatch).details?.[0]?.path).toBe('If-Match');
    expect((await api().delete(`${LISTS}/${list.id}`)).statusCode).toBe(204);
  });

  it('keeps one default per currency: a new default demotes the old one, other currencies stay', async () => {
    const first = await create({ name: 'US retail', currency: 'USD', isDefault: true });
    const euro = await create({ name: 'EU retail', currency: 'EUR', isDefault: true });
    const second = await create({ name: 'US 2027', currency: 'USD', isDefault: true });
    const all = (await api().get(LISTS)).json<{ data: Listed[] }>().data;
    const byId = new Map(all.map((l) => [l.id, l]));
    expect(byId.get(second.id)?.isDefault).toBe(true);
    expect(byId.get(euro.id)?.isDefault).toBe(true);
    expect(byId.get(first.id)).toMatchObject({ isDefault: false, version: 2 });
    // Moving a default into another currency demotes that currency's default too.
    const moved = await api().patch(`${LISTS}/${first.id}`, { currency: 'EUR', isDefault: true });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = new Map(
      (await api().get(LISTS)).json<{ data: Listed[] }>().data.map((l) => [l.id, l.isDefault]),
    );
    expect([after.get(first.id), after.get(euro.id), after.get(second.id)]).toEqual([
      true,
      false,
      true,
    ]);
    for (const l of [first, euro, second]) await api().delete(`${LISTS}/${l.id}`);
  });

  it('hides another organization’s lists (404) and guards writes by the products permission (403)', async () => {
    const list = await create({ name: 'Ours', currency: 'USD' });
    expect((await api(other).get(`${LISTS}/${list.id}`)).statusCode).toBe(404);
    expect((await api(other).patch(`${LISTS}/${list.id}`, { name: 'Mine' })).statusCode).toBe(404);
    expect((await api(other).delete(`${LISTS}/${list.id}`)).statusCode).toBe(404);
    expect((await api(other).get(LISTS)).json<{ data: Listed[] }>().data).toEqual([]);

    expect((await api(rep).get(LISTS)).statusCode).toBe(200);
    const repCreate = await api(rep).post(LISTS, { name: 'Rep', currency: 'USD' });
    expect(repCreate.statusCode).toBe(403);
    expect((await api(rep).patch(`${LISTS}/${list.id}`, { name: 'Rep' })).statusCode).toBe(403);
    expect((await api(rep).delete(`${LISTS}/${list.id}`)).statusCode).toBe(403);
    expect((await client(t.app).get(LISTS)).statusCode).toBe(401);
    // Managers may create and update products, so price lists too, but not delete them.
    const managed = await create({ name: 'Managed', currency: 'USD' }, manager);
    expect((await api(manager).patch(`${LISTS}/${managed.id}`, { name: 'M2' })).statusCode).toBe(
      200,
    );
    expect((await api(manager).delete(`${LISTS}/${managed.id}`)).statusCode).toBe(403);
    expect((await api().get(`${LISTS}/${list.id}`)).json()).toMatchObject({ name: 'Ours' });
    for (const l of [list, managed]) await api().delete(`${LISTS}/${l.id}`);
  });

  it('prices a deal’s product line from the currency’s active default list, else the product', async () => {
    const list = await create({
      name: 'US default',
      currency: 'USD',
      isDefault: true,
      entries: [
        { productId: widget, unitPrice: 7_500 },
        { productId: euroOnly, unitPrice: 9_900 },
      ],
    });
    const deal = await api().post('/api/v1/deals', {
      name: 'Acme',
      currency: 'USD',
      lineItems: [
        { productId: widget, quantity: 2 },
        { productId: gadget, quantity: 1 },
        // A EUR product is priceable in a USD deal once the USD list prices it.
        { productId: euroOnly, quantity: 1 },
        { productId: widget, quantity: 1, unitPrice: 100 },
      ],
    });
    expect(deal.statusCode, deal.body).toBe(201);
    expect(
      deal.json<{ lineItems: Array<{ unitPrice: number }> }>().lineItems.map((l) => l.unitPrice),
    ).toEqual([7_500, 25_000, 9_900, 100]);
    expect(deal.json()).toMatchObject({ amount: 2 * 7_500 + 25_000 + 9_900 + 100 });

    // An inactive default prices nothing: the product's own price (and currency rule) is back.
    await api().patch(`${LISTS}/${list.id}`, { active: false });
    const plain = await api().post('/api/v1/deals', {
      name: 'Globex',
      currency: 'USD',
      lineItems: [{ productId: widget, quantity: 1 }],
    });
    expect(plain.json()).toMatchObject({ amount: 10_000 });
    const euroLine = await api().post('/api/v1/deals', {
      name: 'Initech',
      currency: 'USD',
      lineItems: [{ productId: euroOnly, quantity: 1 }],
    });
    expect(euroLine.statusCode).toBe(400);
    expect(errorOf(euroLine).details?.[0]?.path).toBe('lineItems.0.productId');
    await api().delete(`${LISTS}/${list.id}`);
  });
});
