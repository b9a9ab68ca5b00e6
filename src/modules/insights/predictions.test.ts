import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { runDueJobs } from '../../../test/jobs.js';
import { sql, withSystem } from '../../platform/db/index.js';

const FIELDS_OF_LEADS = ['source', 'companySize', 'country', 'title', 'tags', 'ownerId'];

interface SeedLead {
  source: string;
  /** A custom field's value, stored under `customFields.industry`. */
  industry?: string;
  status: 'new' | 'converted' | 'disqualified';
  companySize: string;
}

/**
 * An easy signal: referrals mostly convert, cold outreach mostly does not; company size is noise.
 * `labelled` leads get an outcome, `open` ones stay new, half from each source.
 */
function easyLeads(labelled: number, open: number): SeedLead[] {
  const leads: SeedLead[] = [];
  for (let i = 0; i < labelled; i++) {
    const referral = i % 2 === 0;
    // One in seven goes against its source, so the model has something to get wrong.
    const against = Math.floor(i / 2) % 7 === 3;
    const converted = referral !== against;
    leads.push({
      source: referral ? 'Referral' : 'Cold outreach',
      status: converted ? 'converted' : 'disqualified',
      companySize: ['1-10', '11-50', '51-200'][i % 3] ?? '1-10',
    });
  }
  for (let i = 0; i < open; i++)
    leads.push({
      source: i % 2 === 0 ? 'Referral' : 'Cold outreach',
      status: 'new',
      companySize: ['1-10', '11-50', '51-200'][i % 3] ?? '1-10',
    });
  return leads;
}

describe('/api/v1/predictions', () => {
  let t: TestApp;
  let admin: TestUser;
  let small: TestUser;
  let rep: TestUser;
  const openIds = new Map<string, string>();

  /**
   * Leads are written straight to the table: a converted lead is only reachable through the
   * conversion endpoint, which would make seeding a hundred outcomes slow and beside the point.
   */
  async function seed(user: TestUser, leads: SeedLead[]): Promise<void> {
    const start = Date.parse('2026-01-01T00:00:00Z');
    await withSystem(t.deps.database.db, async (tx) => {
      for (const [i, lead] of leads.entries()) {
        const id = uuidv7();
        const at = new Date(start + i * 3_600_000);
        if (lead.status === 'new') openIds.set(id, lead.source);
        await sql`insert into leads (organization_id, id, last_name, source, status, company_size,
            disqualification_reason, converted_at, custom_fields, created_at, updated_at)
          values (${user.organizationId}, ${id}, ${`Lead ${i}`}, ${lead.source}, ${lead.status},
            ${lead.companySize}, ${lead.status === 'disqualified' ? 'No budget' : null},
            ${lead.status === 'converted' ? at : null},
            ${JSON.stringify(lead.industry ? { industry: lead.industry } : {})}::jsonb, ${at}, ${at})`.execute(
          tx,
        );
      }
    });
  }

  const api = (u?: TestUser) => client(t.app, u?.token);

  async function leadPrediction(user: TestUser): Promise<string> {
    const res = await api(user).get('/api/v1/predictions');
    expect(res.statusCode, res.body).toBe(200);
    const found = res
      .json<{ data: Array<{ id: string; builtIn: string | null }> }>()
      .data.find((p) => p.builtIn === 'lead_conversion');
    if (!found) throw new Error('no lead conversion prediction');
    return found.id;
  }

  async function train(user: TestUser, id: string): Promise<void> {
    const res = await api(user).post(`/api/v1/predictions/${id}/train`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<{ jobId: string }>().jobId).toMatch(/^[0-9a-f-]{36}$/);
    await runDueJobs(t.deps);
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Scoring');
    small = await registerOrganization(t.app, 'Small');
    rep = await addUser(t.app, admin, 'sales_rep');
    await seed(admin, easyLeads(100, 20));
    await seed(small, easyLeads(10, 4));
  });
  afterAll(() => t.close());

  it('lists the built-in predictions once, however often they are read', async () => {
    await api(admin).get('/api/v1/predictions');
    const res = await api(admin).get('/api/v1/predictions?count=true');
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      data: Array<{ builtIn: string; state: string }>;
      meta: { total: number };
    }>();
    expect(body.data.map((p) => p.builtIn)).toEqual(['lead_conversion', 'deal_win']);
    expect(body.meta.total).toBe(2);
    expect(body.data.every((p) => p.state === 'collecting')).toBe(true);
  });

  it('trains on the easy signal: the card says trained with a held-out AUC above 0.7', async () => {
    const id = await leadPrediction(admin);
    await train(admin, id);
    const card = await api(admin).get(`/api/v1/predictions/${id}`);
    expect(card.statusCode, card.body).toBe(200);
    const body = card.json<{
      state: string;
      rowsUsed: number;
      positiveRate: number;
      metrics: { auc: number; brier: number; calibration: unknown[] };
      importance: Array<{ field: string; importance: number }>;
      prior: unknown;
      trainedAt: string | null;
    }>();
    expect(body.state).toBe('trained');
    expect(body.rowsUsed).toBe(100);
    expect(body.positiveRate).toBeCloseTo(0.5, 1);
    expect(body.metrics.auc).toBeGreaterThan(0.7);
    expect(body.metrics.calibration.length).toBeGreaterThan(0);
    expect(body.importance[0]?.field).toBe('source');
    // Filled in only with the outcome: learning from it would be reading the answer.
    expect(body.importance.map((f) => f.field)).not.toContain('disqualificationReason');
    expect(body.prior).toBeNull();
    expect(body.trainedAt).not.toBeNull();
    const audit = await api(admin).get(`/api/v1/audit-log?filter[targetId]=${id}`);
    const actions = audit.json<{ data: Array<{ action: string }> }>().data.map((a) => a.action);
    expect(actions).toEqual(['prediction.trained', 'prediction.training_requested']);
  });

  it('scores every open lead, referrals above cold outreach, with reasons naming lead fields', async () => {
    const id = await leadPrediction(admin);
    const res = await api(admin).get(`/api/v1/predictions/${id}/scores?limit=200&count=true`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      data: Array<{ recordId: string; score: number; reasons: Array<{ field: string }> }>;
      meta: { total: number };
    }>();
    expect(body.meta.total).toBe(20);
    const scores = body.data.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const ofSource = (source: string) =>
      body.data.filter((s) => openIds.get(s.recordId) === source).map((s) => s.score);
    expect(Math.min(...ofSource('Referral'))).toBeGreaterThan(
      Math.max(...ofSource('Cold outreach')),
    );
    const fields = body.data.flatMap((s) => s.reasons.map((r) => r.field));
    expect(fields).toContain('source');
    expect(fields.every((f) => FIELDS_OF_LEADS.includes(f))).toBe(true);
  });

  it('pages the scores with a cursor and refuses a malformed one', async () => {
    const id = await leadPrediction(admin);
    const first = await api(admin).get(`/api/v1/predictions/${id}/scores?limit=15`);
    const cursor = first.json<{ meta: { nextCursor: string } }>().meta.nextCursor;
    expect(cursor).toBeTruthy();
    const second = await api(admin).get(
      `/api/v1/predictions/${id}/scores?limit=15&cursor=${cursor}`,
    );
    expect(second.json<{ data: unknown[]; meta: { nextCursor: null } }>().data).toHaveLength(5);
    const bad = await api(admin).get(`/api/v1/predictions/${id}/scores?cursor=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('cursor');
  });

  it('scores an unsaved lead (what-if) with the model', async () => {
    const id = await leadPrediction(admin);
    const hot = await api(admin).post(`/api/v1/predictions/${id}/score`, {
      lastName: 'Ada',
      source: 'Referral',
    });
    const cold = await api(admin).post(`/api/v1/predictions/${id}/score`, {
      lastName: 'Bob',
      source: 'Cold outreach',
    });
    expect(hot.statusCode, hot.body).toBe(200);
    expect(hot.json<{ basis: string }>().basis).toBe('model');
    expect(hot.json<{ score: number }>().score).toBeGreaterThan(
      cold.json<{ score: number }>().score,
    );
  });

  it('answers 400 naming the field for a bad what-if body', async () => {
    const id = await leadPrediction(admin);
    const res = await api(admin).post(`/api/v1/predictions/${id}/score`, {
      lastName: 'Ada',
      email: 'not-an-email',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.map((d) => d.path)).toContain('email');
  });

  it('stays collecting with 10 outcomes and scores open leads from the prior, saying so', async () => {
    const id = await leadPrediction(small);
    await train(small, id);
    const card = await api(small).get(`/api/v1/predictions/${id}`);
    const body = card.json<{
      state: string;
      statement: string;
      metrics: unknown;
      prior: { weights: Record<string, number> };
    }>();
    expect(body.state).toBe('collecting');
    expect(body.metrics).toBeNull();
    expect(body.statement).toMatch(/prior/);
    expect(body.prior.weights).toEqual({ completeness: 35, engagement: 40, source: 25 });
    const scores = await api(small).get(`/api/v1/predictions/${id}/scores`);
    const data = scores.json<{ data: Array<{ reasons: Array<{ field: string }> }> }>().data;
    expect(data).toHaveLength(4);
    const fields = data.flatMap((s) => s.reasons.map((r) => r.field));
    expect(fields.every((f) => ['completeness', 'engagement', 'source'].includes(f))).toBe(true);
  });

  it('learns from a custom field when it carries the signal', async () => {
    const custom = await registerOrganization(t.app, 'Custom');
    const field = await api(custom).post('/api/v1/custom-fields', {
      objectType: 'lead',
      key: 'industry',
      label: 'Industry',
      type: 'select',
      options: { choices: ['software', 'mining'] },
    });
    expect(field.statusCode, field.body).toBe(201);
    // Every lead has the same source here: only the industry tells the outcomes apart.
    const leads = easyLeads(100, 10).map((lead) => ({
      ...lead,
      industry: lead.source === 'Referral' ? 'software' : 'mining',
      source: 'Website',
    }));
    await seed(custom, leads);
    const id = await leadPrediction(custom);
    await train(custom, id);
    const card = await api(custom).get(`/api/v1/predictions/${id}`);
    const body = card.json<{ state: string; importance: Array<{ field: string }> }>();
    expect(body.state).toBe('trained');
    expect(body.importance[0]?.field).toBe('custom.industry');
    const scores = await api(custom).get(`/api/v1/predictions/${id}/scores`);
    const reasons = scores
      .json<{ data: Array<{ reasons: Array<{ field: string; label: string }> }> }>()
      .data.flatMap((s) => s.reasons);
    expect(
      reasons.some((r) => r.field === 'custom.industry' && /software|mining/.test(r.label)),
    ).toBe(true);
  });

  it('keeps deal win collecting, with no scores, in an organization without deals', async () => {
    const list = await api(small).get('/api/v1/predictions');
    const deal = list
      .json<{ data: Array<{ id: string; builtIn: string | null }> }>()
      .data.find((p) => p.builtIn === 'deal_win');
    if (!deal) throw new Error('no deal win prediction');
    await train(small, deal.id);
    const card = await api(small).get(`/api/v1/predictions/${deal.id}`);
    expect(card.json<{ state: string; rowsUsed: number }>()).toMatchObject({
      state: 'collecting',
      rowsUsed: 0,
    });
    const scores = await api(small).get(`/api/v1/predictions/${deal.id}/scores?count=true`);
    expect(scores.json<{ meta: { total: number } }>().meta.total).toBe(0);
  });

  it("hides another organization's predictions and scores (404)", async () => {
    const id = await leadPrediction(admin);
    expect((await api(small).get(`/api/v1/predictions/${id}`)).statusCode).toBe(404);
    expect((await api(small).get(`/api/v1/predictions/${id}/scores`)).statusCode).toBe(404);
    expect((await api(small).post(`/api/v1/predictions/${id}/train`)).statusCode).toBe(404);
    const what = await api(small).post(`/api/v1/predictions/${id}/score`, { lastName: 'X' });
    expect(what.statusCode).toBe(404);
    const own = await api(small).get('/api/v1/predictions');
    expect(own.json<{ data: Array<{ id: string }> }>().data.map((p) => p.id)).not.toContain(id);
  });

  it('lets a sales rep read a model card but neither train nor list every score (403)', async () => {
    const id = await leadPrediction(admin);
    expect((await api(rep).get(`/api/v1/predictions/${id}`)).statusCode).toBe(200);
    const res = await api(rep).post(`/api/v1/predictions/${id}/train`);
    expect(res.statusCode).toBe(403);
    // A rep reads only their team's leads, so the organization-wide scores list is not theirs.
    const scores = await api(rep).get(`/api/v1/predictions/${id}/scores`);
    expect(scores.statusCode).toBe(403);
    expect(errorOf(scores).message).toContain('leads:read');
  });

  it('answers 401 without a token and 400 for a malformed id', async () => {
    expect((await api().get('/api/v1/predictions')).statusCode).toBe(401);
    const bad = await api(admin).get('/api/v1/predictions/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('id');
  });
});
