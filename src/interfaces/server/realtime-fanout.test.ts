import { describe, expect, it } from 'vitest';
import type { Actor, Scope } from '../../platform/authz/index.js';
import { createMemoryBus, type RealtimeMessage } from '../../platform/realtime/index.js';
import { createFanOut, type Subscriber } from './realtime-fanout.js';

const ORG = '00000000-0000-4000-8000-00000000000a';
const OTHER_ORG = '00000000-0000-4000-8000-00000000000b';
const DEAL = 'deal:00000000-0000-4000-8000-0000000000d1';

function actor(userId: string, scope: Scope | null, organizationId = ORG): Actor {
  const grants = new Map<string, Scope>(scope ? [['deals:read', scope]] : []);
  return {
    type: 'user',
    id: userId,
    userId,
    organizationId,
    name: userId,
    grants,
    teamIds: [],
    teamMemberIds: [userId],
    grantSources: new Map([['deals:read', 'role']]),
    sessionId: null,
  };
}

/** A socket that keeps the frames it was handed. */
function socket(a: Actor): Subscriber & {
  frames: Buffer[];
  received: () => Array<{ type: string; channel: string; data: unknown }>;
} {
  const frames: Buffer[] = [];
  return {
    actor: a,
    frames,
    send: (f) => frames.push(f),
    received: () =>
      frames.map(
        (f) => JSON.parse(f.toString()) as { type: string; channel: string; data: unknown },
      ),
  };
}

const dealUpdated = (ownerId: string | null, organizationId = ORG): RealtimeMessage => ({
  organizationId,
  type: 'deal.updated',
  channels: ['org', DEAL],
  data: { id: DEAL.slice(5), ownerId },
  audience: { permission: 'deals:read', ownerId },
});

describe('real-time fan-out', () => {
  it('sends each change once per socket, under the first channel it holds, only to those who may read it', async () => {
    const bus = createMemoryBus();
    const fanOut = createFanOut(bus, { maxChannels: 10 });
    const admin = socket(actor('admin', 'all'));
    const owner = socket(actor('rep-1', 'own'));
    const otherRep = socket(actor('rep-2', 'own'));
    const watcher = socket(actor('rep-3', 'all'));
    const noGrant = socket(actor('marketing', null));
    const stranger = socket(actor('stranger', 'all', OTHER_ORG));
    for (const s of [admin, owner, otherRep, noGrant, stranger]) fanOut.subscribe(s, 'org');
    fanOut.subscribe(admin, DEAL);
    fanOut.subscribe(watcher, DEAL);
    await bus.publish(dealUpdated('rep-1'));
    expect(admin.received()).toEqual([
      { type: 'deal.updated', channel: 'org', data: { id: DEAL.slice(5), ownerId: 'rep-1' } },
    ]);
    expect(owner.received().map((m) => m.channel)).toEqual(['org']);
    expect(watcher.received().map((m) => m.channel)).toEqual([DEAL]);
    expect(otherRep.frames).toEqual([]);
    expect(noGrant.frames).toEqual([]);
    expect(stranger.frames).toEqual([]);
    await bus.publish(dealUpdated('rep-2', OTHER_ORG));
    expect(stranger.received().map((m) => m.type)).toEqual(['deal.updated']);
    expect(admin.frames).toHaveLength(1);
  });

  it('serializes a message once per channel name, however many sockets get it', async () => {
    const bus = createMemoryBus();
    const fanOut = createFanOut(bus, { maxChannels: 10 });
    const onOrg = Array.from({ length: 1000 }, (_, i) => socket(actor(`user-${i}`, 'all')));
    const onDeal = Array.from({ length: 10 }, (_, i) => socket(actor(`watcher-${i}`, 'all')));
    for (const s of onOrg) fanOut.subscribe(s, 'org');
    for (const s of onDeal) fanOut.subscribe(s, DEAL);
    await bus.publish(dealUpdated(null));
    const orgFrames = new Set(onOrg.map((s) => s.frames[0]));
    const dealFrames = new Set(onDeal.map((s) => s.frames[0]));
    expect(orgFrames.size).toBe(1);
    expect(dealFrames.size).toBe(1);
    expect(JSON.parse(String([...dealFrames][0]))).toMatchObject({ channel: DEAL });
  });

  it("names the own user channel user:me, and never hands one user's notice to another", async () => {
    const bus = createMemoryBus();
    const fanOut = createFanOut(bus, { maxChannels: 10 });
    const ada = socket(actor('ada', null));
    const bob = socket(actor('bob', null));
    fanOut.subscribe(ada, 'user:ada');
    // Channel names are not secrets: subscribing to someone else's gets nothing of theirs.
    fanOut.subscribe(bob, 'user:ada');
    await bus.publish({
      organizationId: ORG,
      type: 'notification.created',
      channels: ['user:ada'],
      data: { title: 'Hi' },
      audience: { userIds: ['ada'] },
    });
    expect(ada.received()).toEqual([
      { type: 'notification.created', channel: 'user:me', data: { title: 'Hi' } },
    ]);
    expect(bob.frames).toEqual([]);
  });

  it('stops sending after unsubscribe and close, and lets go of the bus with the last socket', async () => {
    const bus = createMemoryBus();
    const fanOut = createFanOut(bus, { maxChannels: 2 });
    const a = socket(actor('a', 'all'));
    const b = socket(actor('b', 'all'));
    expect(fanOut.subscribe(a, 'org')).toBe(true);
    expect(fanOut.subscribe(a, DEAL)).toBe(true);
    expect(fanOut.subscribe(a, 'user:a')).toBe(false);
    fanOut.subscribe(b, 'org');
    expect(fanOut.size()).toEqual({ sockets: 2, subscriptions: 3 });
    fanOut.unsubscribe(a, 'org');
    fanOut.remove(b);
    await bus.publish(dealUpdated(null));
    expect(a.received().map((m) => m.channel)).toEqual([DEAL]);
    expect(b.frames).toEqual([]);
    fanOut.remove(a);
    expect(fanOut.size()).toEqual({ sockets: 0, subscriptions: 0 });
    // With no socket left the fan-out is off the bus: a new subscriber registers it again.
    const late = socket(actor('late', 'all'));
    fanOut.subscribe(late, 'org');
    await bus.publish(dealUpdated(null));
    expect(late.frames).toHaveLength(1);
    expect(a.frames).toHaveLength(1);
  });

  it('keeps sending to the others when one socket throws', async () => {
    const bus = createMemoryBus();
    const fanOut = createFanOut(bus, { maxChannels: 10 });
    const broken: Subscriber = {
      actor: actor('broken', 'all'),
      send: () => {
        throw new Error('socket gone');
      },
    };
    const fine = socket(actor('fine', 'all'));
    fanOut.subscribe(broken, 'org');
    fanOut.subscribe(fine, 'org');
    await bus.publish(dealUpdated(null));
    expect(fine.frames).toHaveLength(1);
  });
});
