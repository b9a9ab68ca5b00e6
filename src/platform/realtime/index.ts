import { Redis } from 'ioredis';

/**
 * Real-time messages between the process that sees a change (the event worker) and every API
 * process holding WebSocket clients. In memory for one process; through Redis pub/sub when
 * REDIS_URL is set, so several API processes serve one organization.
 */
export interface RealtimeMessage {
  organizationId: string;
  type: string;
  /** Channels it is published on: `org`, `user:<id>`, `<resource>:<id>`. */
  channels: string[];
  data: unknown;
  /**
   * Who may receive it: readers of `permission` for a record owned by `ownerId` (and, for records
   * that wait in a team's queue such as leads and tickets, in team `teamId`), or named users.
   */
  audience:
    { permission: string; ownerId: string | null; teamId?: string | null } | { userIds: string[] };
}

export interface RealtimeBus {
  kind: 'memory' | 'redis';
  publish(message: RealtimeMessage): Promise<void>;
  /** Calls `handler` for every message published by any process; returns the unsubscribe. */
  subscribe(handler: (message: RealtimeMessage) => void): () => void;
  close(): Promise<void>;
}

export function createMemoryBus(): RealtimeBus {
  const handlers = new Set<(m: RealtimeMessage) => void>();
  return {
    kind: 'memory',
    publish: async (message) => {
      for (const h of handlers) h(message);
    },
    subscribe: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close: async () => handlers.clear(),
  };
}

const isMessage = (v: unknown): v is RealtimeMessage =>
  typeof v === 'object' &&
  v !== null &&
  'organizationId' in v &&
  'type' in v &&
  'channels' in v &&
  Array.isArray(v.channels) &&
  'audience' in v;

/** Pub/sub over Redis: a subscriber connection per process (Redis requires a dedicated one). */
export function createRedisBus(url: string, channel = 'cerebro:realtime'): RealtimeBus {
  const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  let sub: Redis | null = null;
  const handlers = new Set<(m: RealtimeMessage) => void>();
  const ensureSubscribed = () => {
    if (sub) return;
    sub = new Redis(url);
    void sub.subscribe(channel);
    sub.on('message', (_ch: string, raw: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return;
      }
      if (isMessage(parsed)) for (const h of handlers) h(parsed);
    });
  };
  return {
    kind: 'redis',
    publish: async (message) => {
      await pub.publish(channel, JSON.stringify(message));
    },
    subscribe: (handler) => {
      ensureSubscribed();
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close: async () => {
      handlers.clear();
      await Promise.all([pub.quit().catch(() => undefined), sub?.quit().catch(() => undefined)]);
    },
  };
}
