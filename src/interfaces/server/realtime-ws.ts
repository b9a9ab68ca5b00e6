import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context/index.js';
import type { Authenticate } from '../../platform/http/index.js';
import { createFanOut, type Subscriber } from './realtime-fanout.js';

const CHANNEL = /^(org|user:me|user:[0-9a-f-]{36}|[a-z_]+:[0-9a-f-]{36})$/;
const MAX_CHANNELS = 200;

/** A cookie-authenticated socket must come from our own origin, or any site could ride the cookie. */
function sameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const allowed = new Set([
    new URL(publicUrl).origin,
    `${req.protocol}://${req.headers.host ?? ''}`,
  ]);
  return allowed.has(origin);
}

/**
 * `/ws` (API.md): authenticate (cookie, `Authorization: Bearer`, or `?token=` for clients that
 * cannot set headers), then `{ "type": "subscribe", "channels": ["deal:<id>", "user:me", "org"] }`;
 * messages of the actor's organization on those channels that the actor may read are sent as
 * `{ "type": "deal.updated", "channel": …, "data": … }`. The grants are those at connect time.
 */
export async function registerRealtime(
  app: FastifyInstance,
  deps: Deps,
  authenticate: Authenticate,
): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const fanOut = createFanOut(deps.realtime, { maxChannels: MAX_CHANNELS });
  app.get('/ws', { websocket: true }, async (socket, req) => {
    const token = (req.query as Record<string, unknown>).token;
    if (typeof token === 'string' && !req.headers.authorization)
      req.headers.authorization = `Bearer ${token}`;
    const auth = await authenticate(req, deps).catch(() => null);
    if (!auth || (auth.via === 'cookie' && !sameOrigin(req, deps.config.http.publicUrl))) {
      socket.send(
        JSON.stringify({
          type: 'error',
          code: 'UNAUTHENTICATED',
          message: 'Log in first (cookie, bearer token or ?token=)',
        }),
      );
      socket.close(4401, 'unauthenticated');
      return;
    }
    const actor = auth.actor;
    // The frame is shared by every socket that gets the message: sent as text, never copied.
    const subscriber: Subscriber = {
      actor,
      send: (frame) => socket.send(frame, { binary: false }),
    };
    socket.on('close', () => fanOut.remove(subscriber));
    socket.on('message', (raw: Buffer) => {
      let msg: unknown;
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        socket.send(
          JSON.stringify({
            type: 'error',
            code: 'VALIDATION_FAILED',
            message: 'messages are JSON',
          }),
        );
        return;
      }
      const m = typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>) : {};
      const list = Array.isArray(m.channels)
        ? m.channels.filter((c): c is string => typeof c === 'string')
        : [];
      if (
        (m.type !== 'subscribe' && m.type !== 'unsubscribe') ||
        list.length === 0 ||
        list.some((c) => !CHANNEL.test(c))
      ) {
        socket.send(
          JSON.stringify({
            type: 'error',
            code: 'VALIDATION_FAILED',
            message:
              'send { "type": "subscribe" | "unsubscribe", "channels": ["org", "user:me", "deal:<id>"] }',
          }),
        );
        return;
      }
      for (const c of list.map((c) => (c === 'user:me' ? `user:${actor.userId ?? 'none'}` : c))) {
        if (m.type === 'subscribe') fanOut.subscribe(subscriber, c);
        else fanOut.unsubscribe(subscriber, c);
      }
      socket.send(
        JSON.stringify({
          type: m.type === 'subscribe' ? 'subscribed' : 'unsubscribed',
          channels: list,
        }),
      );
    });
    socket.send(JSON.stringify({ type: 'ready', userId: actor.userId }));
  });
}
