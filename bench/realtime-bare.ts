// The baseline of `npm run bench:realtime`: a bare `ws` server in a child process of its own,
// speaking the same handshake as /ws (ready → subscribe → subscribed) but with no authentication,
// no permission checks and no database. `POST /broadcast` sends its body, as a text frame, to every
// socket at once — the floor that Cerebro's fan-out is measured against.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/readyz') {
    res.writeHead(200).end('ok');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/broadcast') {
    res.writeHead(404).end();
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (chunk: Buffer) => parts.push(chunk));
  req.on('end', () => {
    // Encoded once, like a broadcaster that knows every socket gets the same bytes.
    const frame = Buffer.concat(parts);
    for (const socket of wss.clients) socket.send(frame, { binary: false });
    res.writeHead(204).end();
  });
});

const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
wss.on('connection', (socket) => {
  socket.on('message', (raw: Buffer) => {
    const msg = JSON.parse(raw.toString()) as { channels?: unknown };
    socket.send(JSON.stringify({ type: 'subscribed', channels: msg.channels }));
  });
  socket.send(JSON.stringify({ type: 'ready', userId: null }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.close(() => process.exit(0));
});
