import { decide, type Actor } from '../../platform/authz/index.js';
import type { RealtimeBus, RealtimeMessage } from '../../platform/realtime/index.js';

/** One WebSocket as the fan-out sees it: who it is, and how to hand it an encoded text frame. */
export interface Subscriber {
  actor: Actor;
  send(frame: Buffer): void;
}

/** The sockets of this process, indexed by organization and channel. */
export interface FanOut {
  /** Subscribes to a channel (`user:me` already spelled `user:<id>`); false when the socket holds `maxChannels`. */
  subscribe(subscriber: Subscriber, channel: string): boolean;
  unsubscribe(subscriber: Subscriber, channel: string): void;
  /** Forgets a closed socket and all its channels. */
  remove(subscriber: Subscriber): void;
  /** Sockets with at least one channel, and (socket, channel) pairs held. */
  size(): { sockets: number; subscriptions: number };
}

interface Entry {
  subscriber: Subscriber;
  channels: Set<string>;
  /** The last message this socket was visited for: one message per socket, however many channels match. */
  seen: number;
}

function mayReceive(actor: Actor, m: RealtimeMessage): boolean {
  if (m.organizationId !== actor.organizationId) return false;
  if ('userIds' in m.audience)
    return actor.userId !== null && m.audience.userIds.includes(actor.userId);
  return decide(actor, m.audience.permission, {
    ownerId: m.audience.ownerId,
    teamId: m.audience.teamId ?? null,
  }).allowed;
}

/**
 * Fans bus messages out to sockets. A message visits only the sockets of its organization that
 * subscribed to one of its channels, each once, under the first of its channels they hold; the
 * read check runs per socket (its grants from connect time), and the frame is serialized once per
 * channel name rather than once per socket — with 10,000 sockets, serializing per socket cost more
 * than the writes themselves (bench/realtime.ts). The bus is subscribed while any socket is.
 */
export function createFanOut(bus: RealtimeBus, options: { maxChannels: number }): FanOut {
  const index = new Map<string, Set<Entry>>();
  const entries = new Map<Subscriber, Entry>();
  const key = (organizationId: string, channel: string) => `${organizationId} ${channel}`;
  let subscriptions = 0;
  let visit = 0;
  let unsubscribeBus: (() => void) | null = null;

  function deliver(m: RealtimeMessage): void {
    const mark = ++visit;
    const frames = new Map<string, Buffer>();
    for (const channel of m.channels) {
      const listeners = index.get(key(m.organizationId, channel));
      if (!listeners) continue;
      for (const entry of listeners) {
        if (entry.seen === mark) continue;
        entry.seen = mark;
        const { actor } = entry.subscriber;
        if (!mayReceive(actor, m)) continue;
        const name = channel === `user:${actor.userId ?? ''}` ? 'user:me' : channel;
        let frame = frames.get(name);
        if (!frame) {
          frame = Buffer.from(JSON.stringify({ type: m.type, channel: name, data: m.data }));
          frames.set(name, frame);
        }
        try {
          entry.subscriber.send(frame);
        } catch {
          // A socket that fails to take a frame is closing; the others still get theirs.
        }
      }
    }
  }

  function drop(entry: Entry, channel: string): void {
    if (!entry.channels.delete(channel)) return;
    subscriptions--;
    const k = key(entry.subscriber.actor.organizationId, channel);
    const listeners = index.get(k);
    listeners?.delete(entry);
    if (listeners?.size === 0) index.delete(k);
    if (entry.channels.size > 0) return;
    entries.delete(entry.subscriber);
    if (entries.size === 0) {
      unsubscribeBus?.();
      unsubscribeBus = null;
    }
  }

  return {
    subscribe(subscriber, channel) {
      let entry = entries.get(subscriber);
      if (entry?.channels.has(channel)) return true;
      if (entry && entry.channels.size >= options.maxChannels) return false;
      if (!entry) {
        entry = { subscriber, channels: new Set(), seen: 0 };
        entries.set(subscriber, entry);
      }
      unsubscribeBus ??= bus.subscribe(deliver);
      entry.channels.add(channel);
      subscriptions++;
      const k = key(subscriber.actor.organizationId, channel);
      const listeners = index.get(k) ?? new Set<Entry>();
      listeners.add(entry);
      index.set(k, listeners);
      return true;
    },
    unsubscribe(subscriber, channel) {
      const entry = entries.get(subscriber);
      if (entry) drop(entry, channel);
    },
    remove(subscriber) {
      const entry = entries.get(subscriber);
      if (entry) for (const channel of [...entry.channels]) drop(entry, channel);
    },
    size: () => ({ sockets: entries.size, subscriptions }),
  };
}
