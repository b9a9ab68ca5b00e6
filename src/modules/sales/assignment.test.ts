import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

const RULES = '/api/v1/lead-assignment-rules';

describe('lead assignment rules', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let manager: TestUser;
  let reps: TestUser[];
  let west: TestUser;
  let eastId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Routing');
    other = await registerOrganization(t.app, 'Elsewhere');
    manager = await addUser(t.app, admin, 'sales_manager');
    reps = [
      await addUser(t.app, admin, 'sales_rep'),
      await addUser(t.app, admin, 'sales_rep'),
      await addUser(t.app, admin, 'sales_rep'),
    ];
    west = await addUser(t.app, admin, 'sales_rep');
    eastId = await createTeam(t.app, admin, 'East', [
      { userId: manager.userId, isManager: true },
      ...reps.map((r) => ({ userId: r.userId })),
    ]);
    await createTeam(t.app, admin, 'West', [{ userId: west.userId }]);
  });
  afterAll(() => t.close());

  // Every test starts from no rules, so each one shows its own ordering.
  beforeEach(async () => {
    const api = client(t.app, admin.token);
    for (const r of (await api.get(RULES)).json().data as Array<{ id: string }>)
      expect((await api.delete(`${RULES}/${r.id}`)).statusCode).toBe(204);
  });

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const rule = async (body: Record<string, unknown>, u: TestUser = admin) => {
    const res = await api(u).post(RULES, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; position: number; version: number }>();
  };
  const lead = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/v1/leads', { firstName: 'Lead', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; ownerId: string | null; teamId: string | null }>();
  };

  it('lets admins and team managers manage rules, not reps; validates naming the field', async () => {
    const byManager = await rule(
      { name: 'Managers may', strategy: 'round_robin', teamId: eastId },
      manager,
    );
    const refused = await api(reps[0]).post(RULES, {
      name: 'Reps may not',
      strategy: 'user',
      userId: reps[0]?.userId,
    });
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('SALES_ROUTING_FORBIDDEN');
    expect((await api(reps[0]).get(RULES)).statusCode).toBe(403);
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', strategy: 'user' }, 'userId'],
      [{ name: 'x', strategy: 'least_loaded' }, 'teamId'],
      [{ name: 'x', strategy: 'psychic', userId: admin.userId }, 'strategy'],
      [
        {
          name: 'x',
          strategy: 'user',
          userId: admin.userId,
          conditions: [{ field: 'shoeSize', op: 'equals', value: '42' }],
        },
        'conditions.0.field',
      ],
      [
        {
          name: 'x',
          strategy: 'user',
          userId: admin.userId,
          conditions: [{ field: 'country', op: 'in', value: 'DE' }],
        },
        'conditions.0.value',
      ],
      [{ name: '', strategy: 'user', userId: admin.userId }, 'name'],
    ];
    for (const [body, path] of cases) {
      const res = await api().post(RULES, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const unknownTeam = await api().post(RULES, {
      name: 'x',
      strategy: 'round_robin',
      teamId: '0190a000-0000-7000-8000-000000000001',
    });
    expect(unknownTeam.statusCode).toBe(422);
    expect(errorOf(unknownTeam).details?.map((d) => d.path)).toEqual(['teamId']);
    const stale = await api().patch(
      `${RULES}/${byManager.id}`,
      { name: 'Renamed' },
      { 'if-match': String(byManager.version + 1) },
    );
    expect(stale.statusCode).toBe(412);
    expect((await api().get(`${RULES}/${byManager.id}`)).json().name).toBe('Managers may');
  });

  it("answers 401 without a token and 404 for another organization's rule", async () => {
    const mine = await rule({ name: 'Mine', strategy: 'user', userId: admin.userId });
    expect((await client(t.app).get(RULES)).statusCode).toBe(401);
    for (const res of [
      await api(other).get(`${RULES}/${mine.id}`),
      await api(other).patch(`${RULES}/${mine.id}`, { name: 'Hacked' }),
      await api(other).delete(`${RULES}/${mine.id}`),
    ])
      expect(res.statusCode).toBe(404);
    expect((await api(other).get(RULES)).json().data).toEqual([]);
    expect((await api().get(`${RULES}/${mine.id}`)).json().name).toBe('Mine');
  });

  it('runs rules in position order; the first whose conditions match decides', async () => {
    const partners = await rule({
      name: 'Partners to West',
      strategy: 'user',
      userId: west.userId,
      conditions: [{ field: 'source', op: 'equals', value: 'partner' }],
    });
    await rule({
      name: 'German-speaking to rep 1',
      strategy: 'user',
      userId: reps[0]?.userId,
      teamId: eastId,
      conditions: [{ field: 'country', op: 'in', value: ['DE', 'AT', 'CH'] }],
    });
    await rule({ name: 'Switched off', strategy: 'user', userId: admin.userId, active: false });
    await rule({ name: 'Everyone else to rep 2', strategy: 'user', userId: reps[1]?.userId });

    const partner = await lead({ source: 'Partner', country: 'DE' });
    expect(partner.ownerId).toBe(west.userId);
    const german = await lead({ source: 'webinar', country: 'at' });
    expect(german).toMatchObject({ ownerId: reps[0]?.userId, teamId: eastId });
    expect((await lead({ country: 'US' })).ownerId).toBe(reps[1]?.userId);
    expect((await lead({ country: 'DE', ownerId: reps[2]?.userId })).ownerId).toBe(reps[2]?.userId);

    // Moving the partner rule after the catch-all means it never gets a lead again.
    await api().patch(`${RULES}/${partners.id}`, { position: 99 });
    expect((await lead({ source: 'partner' })).ownerId).toBe(reps[1]?.userId);

    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('payload')
        .where('type', '=', 'lead.assigned')
        .where('aggregate_id', '=', partner.id)
        .execute(),
    );
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ ownerId: west.userId, ruleId: partners.id }),
    ]);
  });

  it('holds one rule per position: a taken position answers 409 naming position, on create and on move', async () => {
    const first = await rule({ name: 'First', strategy: 'user', userId: reps[0]?.userId });
    const second = await rule({ name: 'Second', strategy: 'user', userId: reps[1]?.userId });
    expect([first.position, second.position]).toEqual([0, 1]);
    const clash = await api().post(RULES, {
      name: 'Also first',
      strategy: 'user',
      userId: reps[2]?.userId,
      position: 0,
    });
    expect(clash.statusCode).toBe(409);
    expect(errorOf(clash)).toMatchObject({
      code: 'SALES_RULE_POSITION_TAKEN',
      details: [{ path: 'position' }],
    });
    const move = await api().patch(`${RULES}/${second.id}`, { position: 0 });
    expect(move.statusCode).toBe(409);
    expect(errorOf(move).details?.[0]?.path).toBe('position');
    // Keeping its own position is no clash; a swap goes through a free position.
    expect(
      (await api().patch(`${RULES}/${first.id}`, { position: 0, name: 'First, renamed' }))
        .statusCode,
    ).toBe(200);
    expect((await api().patch(`${RULES}/${first.id}`, { position: 50 })).statusCode).toBe(200);
    expect((await api().patch(`${RULES}/${second.id}`, { position: 0 })).statusCode).toBe(200);
    expect(
      (await api().get(RULES))
        .json()
        .data.map((r: { name: string; position: number }) => [r.name, r.position]),
    ).toEqual([
      ['Second', 0],
      ['First, renamed', 50],
    ]);
    expect((await lead({ country: 'US' })).ownerId).toBe(reps[1]?.userId);
    expect((await api(reps[0]).patch(`${RULES}/${second.id}`, { position: 7 })).statusCode).toBe(
      403,
    );
    const negative = await api().patch(`${RULES}/${second.id}`, { position: -1 });
    expect(negative.statusCode).toBe(400);
    expect(errorOf(negative).details?.[0]?.path).toBe('position');
    // The database holds the line too, whatever a concurrent writer does.
    const dup = withSystem(t.deps.database.db, (tx) =>
      sql`update lead_assignment_rules set position = 50 where id = ${second.id}`.execute(tx),
    );
    await expect(dup).rejects.toMatchObject({ code: '23505' });
  });

  it("rotates fairly through a team's reps (not its manager), even when leads arrive at once", async () => {
    const rr = await rule({ name: 'Round robin East', strategy: 'round_robin', teamId: eastId });
    const sequential: Array<string | null> = [];
    for (let i = 0; i < 6; i++) sequential.push((await lead({ lastName: `Seq${i}` })).ownerId);
    const repIds = reps.map((r) => r.userId).sort();
    expect(sequential).toEqual([...repIds, ...repIds]);

    const together = await Promise.all(
      Array.from({ length: 6 }, (_, i) => lead({ lastName: `Burst${i}` })),
    );
    const perRep = new Map<string | null, number>();
    for (const l of together) perRep.set(l.ownerId, (perRep.get(l.ownerId) ?? 0) + 1);
    expect([...perRep.entries()].sort()).toEqual(repIds.map((id) => [id, 2]));
    expect(perRep.has(manager.userId)).toBe(false);
    expect((await api().get(`${RULES}/${rr.id}`)).json().lastAssignedUserId).toBe(repIds[2]);
  });

  it('gives least-loaded leads to the rep with the fewest open leads', async () => {
    const [a, b, c] = reps.map((r) => r.userId);
    const openOf = async (userId: string | undefined) =>
      (
        await api().get(
          `/api/v1/leads?filter[ownerId]=${userId ?? ''}&filter[status][in]=new,working,qualified&count=true&limit=1`,
        )
      ).json().meta.total as number;
    // Level the field, then load a with 3 open, b with 2 closed (disqualified: not load), c with 1.
    const base = Math.max(await openOf(a), await openOf(b), await openOf(c));
    for (const [owner, extra] of [
      [a, base - (await openOf(a)) + 3],
      [b, base - (await openOf(b))],
      [c, base - (await openOf(c)) + 1],
    ] as const) {
      for (let i = 0; i < extra; i++) await lead({ ownerId: owner });
    }
    for (let i = 0; i < 2; i++)
      await lead({ ownerId: b, status: 'disqualified', disqualificationReason: 'Spam' });
    await rule({ name: 'Least loaded East', strategy: 'least_loaded', teamId: eastId });
    expect((await lead({ lastName: 'First' })).ownerId).toBe(b);
    const second = await lead({ lastName: 'Second' });
    expect([b, c]).toContain(second.ownerId);
    const third = await lead({ lastName: 'Third' });
    expect(third.ownerId).not.toBe(a);
    expect(await openOf(a)).toBe(base + 3);
  });
});
