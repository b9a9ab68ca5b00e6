import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';

interface Received {
  type: string;
  channel?: string;
  data?: Record<string, unknown>;
}

/** A WebSocket client that records what it receives and can wait for a message. */
async function connect(url: string, token: string | null, channels: string[]) {
  const ws = new WebSocket(token ? `${url}?token=${token}` : url);
  const seen: Received[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (raw: Buffer) => seen.push(JSON.parse(raw.toString()) as Received));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const waitFor = async (pred: (m: Received) => boolean, ms = 1000): Promise<Received | null> => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const hit = seen.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    return null;
  };
  if (token) {
    await waitFor((m) => m.type === 'ready');
    ws.send(JSON.stringify({ type: 'subscribe', channels }));
    await waitFor((m) => m.type === 'subscribed');
  }
  return { ws, seen, waitFor, closed };
}

describe('real time over /ws and in-app notifications', () => {
  let t: TestApp;
  let url: string;
  let admin: TestUser;
  let rep: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/ws`;
    admin = await registerOrganization(t.app, 'Live Co');
    rep = await addUser(t.app, admin, 'sales_rep');
    stranger = await registerOrganization(t.app, 'Elsewhere');
  });
  afterAll(() => t.close());

  // How fast is measured by bench:realtime (timings never fail a test); here: who gets what.
  it('sends a record change to those who may read it, never to another tenant', async () => {
    const adminWs = await connect(url, admin.token, ['org']);
    const repWs = await connect(url, rep.token, ['org']);
    const strangerWs = await connect(url, stranger.token, ['org']);
    const own = (await client(t.app, rep.token).post('/api/v1/deals', { name: 'Rep deal' })).json();
    const hidden = (
      await client(t.app, admin.token).post('/api/v1/deals', { name: 'Admin only deal' })
    ).json();
    await t.deps.outbox.drain();
    const got = await repWs.waitFor((m) => m.type === 'deal.created' && m.data?.id === own.id);
    expect(got?.channel).toBe('org');
    expect(
      await adminWs.waitFor((m) => m.type === 'deal.created' && m.data?.id === hidden.id),
    ).not.toBeNull();
    expect(repWs.seen.some((m) => m.data?.id === hidden.id)).toBe(false);
    expect(strangerWs.seen.filter((m) => m.type.startsWith('deal.'))).toEqual([]);
    for (const c of [adminWs, repWs, strangerWs]) c.ws.close();
  });

  it("sends a ticket waiting in a team's queue to that team's members, not to other agents", async () => {
    const member = await addUser(t.app, admin, 'support_agent');
    const outsider = await addUser(t.app, admin, 'support_agent');
    const team = await createTeam(t.app, admin, 'Queue', [{ userId: member.userId }]);
    const memberWs = await connect(url, member.token, ['org']);
    const outsiderWs = await connect(url, outsider.token, ['org']);
    const ticket = (
      await client(t.app, admin.token).post('/api/v1/tickets', {
        subject: 'Queued live',
        ownerId: null,
        teamId: team,
      })
    ).json();
    await t.deps.outbox.drain();
    expect(
      await memberWs.waitFor((m) => m.type === 'ticket.created' && m.data?.id === ticket.id),
    ).not.toBeNull();
    expect(outsiderWs.seen.some((m) => m.data?.id === ticket.id)).toBe(false);
    for (const c of [memberWs, outsiderWs]) c.ws.close();
  });

  it('delivers on a record channel only to its subscribers', async () => {
    const api = client(t.app, admin.token);
    const deal = (await api.post('/api/v1/deals', { name: 'Watched' })).json();
    const watcher = await connect(url, admin.token, [`deal:${deal.id}`]);
    const other = await connect(url, admin.token, ['user:me']);
    await api.patch(`/api/v1/deals/${deal.id}`, { amount: 1234 });
    await t.deps.outbox.drain();
    expect((await watcher.waitFor((m) => m.type === 'deal.updated'))?.channel).toBe(
      `deal:${deal.id}`,
    );
    expect(other.seen.some((m) => m.type === 'deal.updated')).toBe(false);
    watcher.ws.close();
    other.ws.close();
  });

  it('sends one message per change to a socket on both org and the record, and follows unsubscribe', async () => {
    const api = client(t.app, admin.token);
    const deal = (await api.post('/api/v1/deals', { name: 'Both ways' })).json();
    await t.deps.outbox.drain();
    const both = await connect(url, admin.token, ['org', `deal:${deal.id}`]);
    await api.patch(`/api/v1/deals/${deal.id}`, { name: 'Seen on org' });
    await t.deps.outbox.drain();
    expect((await both.waitFor((m) => m.type === 'deal.updated'))?.channel).toBe('org');
    both.ws.send(JSON.stringify({ type: 'unsubscribe', channels: ['org'] }));
    expect(await both.waitFor((m) => m.type === 'unsubscribed')).not.toBeNull();
    await api.patch(`/api/v1/deals/${deal.id}`, { name: 'Seen on the record' });
    await t.deps.outbox.drain();
    const second = await both.waitFor(
      (m) => m.type === 'deal.updated' && JSON.stringify(m.data).includes('Seen on the record'),
    );
    expect(second?.channel).toBe(`deal:${deal.id}`);
    expect(both.seen.filter((m) => m.type === 'deal.updated')).toHaveLength(2);
    both.ws.close();
  });

  it('refuses sockets without credentials and bad subscriptions', async () => {
    const anon = await connect(url, null, []);
    expect(await anon.closed).toBe(4401);
    const c = await connect(url, admin.token, ['org']);
    c.ws.send(JSON.stringify({ type: 'subscribe', channels: ['everything'] }));
    expect((await c.waitFor((m) => m.type === 'error'))?.type).toBe('error');
    c.ws.close();
  });

  it('notifies the new owner of a lead live, counts unread, and marks read', async () => {
    const repWs = await connect(url, rep.token, ['user:me']);
    const lead = (
      await client(t.app, admin.token).post('/api/v1/leads', {
        firstName: 'Nora',
        lastName: 'Notify',
        email: 'nora@notify.example',
        ownerId: rep.userId,
      })
    ).json();
    await t.deps.outbox.drain();
    const live = await repWs.waitFor((m) => m.type === 'notification.created');
    expect(live).toMatchObject({
      channel: 'user:me',
      data: { type: 'lead.assigned', link: `/leads/${lead.id}`, read: false },
    });
    const repApi = client(t.app, rep.token);
    const inbox = (await repApi.get('/api/v1/notifications')).json();
    expect(inbox.meta.unread).toBe(1);
    expect(inbox.data[0].title).toBe('A lead was assigned to you: Nora Notify');
    expect((await client(t.app, admin.token).get('/api/v1/notifications')).json().data).toEqual([]);
    expect(
      (await client(t.app, admin.token).post(`/api/v1/notifications/${inbox.data[0].id}/read`))
        .statusCode,
    ).toBe(404);
    expect(
      (await repApi.post(`/api/v1/notifications/${inbox.data[0].id}/read`)).json().updated,
    ).toBe(1);
    expect((await repApi.get('/api/v1/notifications?unread=true')).json()).toMatchObject({
      data: [],
      meta: { unread: 0 },
    });
    repWs.ws.close();
  });
});
