import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  registerOrganization,
  salesOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

interface Stay {
  stage: { id: string; name: string; kind: string };
  fromStage: { id: string; name: string } | null;
  enteredAt: string;
  leftAt: string | null;
  durationMs: number;
  changedBy: string | null;
}
interface Entry {
  id: string;
  kind: 'activity' | 'change';
  data: Record<string, unknown>;
}

/** The deal page's history: timelines of deals and leads, a deal's stage history (issue 13). */
describe('deal and lead timelines, deal stage history', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let outsider: TestUser;
  let agent: TestUser;
  let foreign: TestUser;
  let dealId: string;
  let leadId: string;
  let stages: Array<{ id: string; name: string }>;
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const stage = (name: string) => stages.find((s) => s.name === name)?.id ?? '';
  const created = async (path: string, body: Record<string, unknown>, u = admin) => {
    const res = await api(u).post(path, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; version: number }>();
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ admin, rep, outsider } = await salesOrganization(t.app, 'History'));
    agent = await addUser(t.app, admin, 'support_agent');
    foreign = await registerOrganization(t.app, 'Elsewhere');
    stages = (await api().get('/api/v1/pipelines')).json().data[0].stages;
    // The rep owns the deal and the lead: the rep's team sees them, the outsider does not.
    dealId = (await created('/api/v1/deals', { name: 'Initech', ownerId: rep.userId })).id;
    leadId = (await created('/api/v1/leads', { firstName: 'Ada', ownerId: rep.userId })).id;
  });
  afterAll(() => t.close());

  it('describes deals and leads as objects with a timeline', async () => {
    const objects = (await api().get('/api/v1/objects')).json().data as Array<{
      key: string;
      capabilities: { timeline: boolean };
    }>;
    expect(objects.find((o) => o.key === 'deal')?.capabilities.timeline).toBe(true);
    expect(objects.find((o) => o.key === 'lead')?.capabilities.timeline).toBe(true);
  });

  it("shows an activity logged on a deal, and the deal's changes, on its timeline", async () => {
    const note = await created('/api/v1/activities', {
      type: 'note',
      subject: 'Budget confirmed',
      dealId,
    });
    const renamed = await api().patch(`/api/v1/deals/${dealId}`, { name: 'Initech renewal' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const res = await api().get(`/api/v1/deals/${dealId}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json().data as Entry[];
    const activity = entries.find((e) => e.id === note.id);
    expect(activity?.data).toMatchObject({
      subject: 'Budget confirmed',
      links: [{ objectType: 'deal', recordId: dealId }],
    });
    const change = entries.find((e) => e.kind === 'change' && e.data.action === 'deal.updated');
    expect(change?.data.diff).toMatchObject({ name: { from: 'Initech', to: 'Initech renewal' } });
    // Newest first: the rename came after the note.
    expect(entries.indexOf(change as Entry)).toBeLessThan(entries.indexOf(activity as Entry));
  });

  it("shows a call logged on a lead on the lead's timeline, and no one else's", async () => {
    const call = await created('/api/v1/activities', { type: 'call', subject: 'Intro', leadId });
    const otherLead = await created('/api/v1/leads', { firstName: 'Grace' });
    const res = await api().get(`/api/v1/leads/${leadId}/timeline?count=true`);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json().data as Entry[];
    expect(entries.filter((e) => e.kind === 'activity').map((e) => e.id)).toEqual([call.id]);
    expect(res.json().meta.total).toBe(entries.length);
    const other = (await api().get(`/api/v1/leads/${otherLead.id}/timeline`)).json()
      .data as Entry[];
    expect(other.map((e) => e.id)).not.toContain(call.id);
  });

  it('records each move of a deal as a stay, newest first, with who moved it', async () => {
    const deal = await created('/api/v1/deals', { name: 'Umbrella', amount: 5_000 });
    const moved = await api().patch(
      `/api/v1/deals/${deal.id}`,
      { stageId: stage('Discovery') },
      { 'if-match': String(deal.version) },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    const res = await api().get(`/api/v1/deals/${deal.id}/stage-history`);
    expect(res.statusCode, res.body).toBe(200);
    const stays = res.json().data as Stay[];
    expect(stays.map((s) => s.stage.name)).toEqual(['Discovery', 'Qualification']);
    const [current, first] = stays;
    expect(current).toMatchObject({
      fromStage: { id: stage('Qualification'), name: 'Qualification' },
      leftAt: null,
      changedBy: admin.userId,
    });
    expect(first?.fromStage).toBeNull();
    expect(first?.leftAt).toBe(current?.enteredAt);
    expect(first?.durationMs).toBe(
      new Date(first?.leftAt ?? 0).getTime() - new Date(first?.enteredAt ?? 0).getTime(),
    );
    expect(res.json().meta).toEqual({ nextCursor: null });
  });

  it('answers 404 for a deal or lead of another organization, hidden by scope, or trashed', async () => {
    const paths = [
      `/api/v1/deals/${dealId}/timeline`,
      `/api/v1/deals/${dealId}/stage-history`,
      `/api/v1/leads/${leadId}/timeline`,
    ];
    for (const path of paths) {
      expect((await api(foreign).get(path)).statusCode, path).toBe(404);
      expect((await api(outsider).get(path)).statusCode, path).toBe(404);
      expect((await api(rep).get(path)).statusCode, path).toBe(200);
    }
    const trashed = await created('/api/v1/deals', { name: 'Gone' });
    expect((await api().delete(`/api/v1/deals/${trashed.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/deals/${trashed.id}/timeline`)).statusCode).toBe(404);
    expect((await api().get(`/api/v1/deals/${trashed.id}/stage-history`)).statusCode).toBe(404);
  });

  it('answers 403 without the read permission, 401 without a token, 400 for a bad id', async () => {
    for (const path of [
      `/api/v1/deals/${dealId}/timeline`,
      `/api/v1/deals/${dealId}/stage-history`,
      `/api/v1/leads/${leadId}/timeline`,
    ]) {
      expect((await api(agent).get(path)).statusCode, path).toBe(403);
      expect((await client(t.app).get(path)).statusCode, path).toBe(401);
    }
    const bad = await api().get('/api/v1/deals/not-an-id/stage-history');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('id');
    const badCursor = await api().get(`/api/v1/leads/${leadId}/timeline?cursor=nonsense`);
    expect(badCursor.statusCode).toBe(400);
    expect(errorOf(badCursor).details?.[0]?.path).toBe('cursor');
  });
});
