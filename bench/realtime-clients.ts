// A client process of `npm run bench:realtime`: opens its share of the WebSocket clients, stamps
// each change's arrival, and counts what arrived against what the REST API says each may read.
// Forked by bench/realtime.ts; talks to it over the IPC channel only.
import WebSocket from 'ws';
import {
  createHistogram,
  nowMicros,
  readMarker,
  recordLatency,
  toSparse,
  type ClientMode,
  type FromClient,
  type Histogram,
  type PhaseCount,
  type RecordPlan,
  type SocketPlan,
  type ToClient,
} from './realtime-protocol.js';

/** Sequence numbers a run may use; each socket keeps one receipt counter per number. */
const MAX_SEQ = 4096;
const HANDSHAKE_MS = 30_000;

interface Client {
  ws: WebSocket;
  plan: SocketPlan;
  /** Per record: whether this socket should get its changes (readable and subscribed). */
  expects: Uint8Array;
  /** The channel each record's message must name for this socket. */
  channelOf: string[];
  receipts: Uint8Array;
}

const send = (m: FromClient): void => {
  process.send?.(m);
};

let mode: ClientMode = 'cerebro';
let records: RecordPlan[] = [];
let clients: Client[] = [];
let expectedPerRecord: number[] = [];
const doneCount = new Uint32Array(MAX_SEQ);
const phases: Array<{ name: string; firstSeq: number; latency: Histogram; misnamed: number }> = [];
let otherMessages = 0;
let closedByServer = 0;
let closing = false;

function planFor(socket: SocketPlan): Client['expects'] {
  const expects = new Uint8Array(records.length);
  records.forEach((r, i) => {
    const subscribed = socket.channels.includes('org') || socket.channels.includes(r.channel);
    expects[i] = mode === 'bare' || (subscribed && r.readers.includes(socket.credential)) ? 1 : 0;
  });
  return expects;
}

function onChange(c: Client, data: Buffer): void {
  const at = nowMicros();
  const m = readMarker(data);
  if (!m || m.seq >= MAX_SEQ) {
    otherMessages++;
    return;
  }
  const seen = c.receipts[m.seq] ?? 0;
  c.receipts[m.seq] = Math.min(255, seen + 1);
  if (seen > 0) return;
  const r = m.seq % records.length;
  if (!c.expects[r]) return;
  const phase = phases.findLast((p) => m.seq >= p.firstSeq);
  if (phase) {
    recordLatency(phase.latency, at - m.sentMicros);
    // The server names the first subscribed channel of the message: `org` before `deal:<id>`.
    if (mode === 'cerebro' && data.indexOf(`"channel":"${c.channelOf[r] ?? ''}"`) === -1)
      phase.misnamed++;
  }
  doneCount[m.seq] = (doneCount[m.seq] ?? 0) + 1;
  if (doneCount[m.seq] === expectedPerRecord[r]) send({ kind: 'done', seq: m.seq });
}

/** Opens one socket and completes the /ws handshake: `ready`, then `subscribe` → `subscribed`. */
function open(url: string, plan: SocketPlan): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${plan.token}` },
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: HANDSHAKE_MS,
    });
    const client: Client = {
      ws,
      plan,
      expects: planFor(plan),
      channelOf: records.map((r) => (plan.channels.includes('org') ? 'org' : r.channel)),
      receipts: new Uint8Array(MAX_SEQ),
    };
    let state: 'handshake' | 'subscribing' | 'live' = 'handshake';
    const timer = setTimeout(() => reject(new Error('no subscribed answer in time')), HANDSHAKE_MS);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('close', () => {
      if (state === 'live' && !closing) closedByServer++;
    });
    ws.on('message', (data: Buffer) => {
      if (state === 'live') return onChange(client, data);
      const msg = JSON.parse(data.toString()) as { type?: string };
      if (state === 'handshake' && msg.type === 'ready') {
        state = 'subscribing';
        ws.send(JSON.stringify({ type: 'subscribe', channels: plan.channels }));
      } else if (state === 'subscribing' && msg.type === 'subscribed') {
        state = 'live';
        clearTimeout(timer);
        resolve(client);
      } else {
        clearTimeout(timer);
        reject(new Error(`unexpected ${data.toString().slice(0, 200)}`));
      }
    });
  });
}

async function connectAll(url: string, plans: SocketPlan[], concurrency: number): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < plans.length) {
        const plan = plans[next++];
        if (!plan) break;
        try {
          clients.push(await open(url, plan));
          if (clients.length % 500 === 0) send({ kind: 'progress', open: clients.length });
        } catch (err) {
          failed++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  expectedPerRecord = records.map((_, r) => clients.filter((c) => c.expects[r]).length);
  send({ kind: 'connected', open: clients.length, failed, firstError, expectedPerRecord });
}

function report(asked: Array<{ name: string; seqs: number[] }>): void {
  const counts: PhaseCount[] = asked.map(({ name, seqs }) => {
    const phase = phases.find((p) => p.name === name);
    const count: PhaseCount = {
      name,
      expected: 0,
      delivered: 0,
      missing: 0,
      duplicates: 0,
      forbidden: 0,
      offChannel: 0,
      misnamed: phase?.misnamed ?? 0,
      latency: toSparse(phase?.latency ?? createHistogram()),
    };
    for (const seq of seqs) {
      const r = seq % records.length;
      const record = records[r];
      for (const c of clients) {
        const got = c.receipts[seq] ?? 0;
        if (got > 1) count.duplicates += got - 1;
        if (c.expects[r]) {
          count.expected++;
          if (got > 0) count.delivered++;
          else count.missing++;
        } else if (got > 0) {
          if (record && !record.readers.includes(c.plan.credential)) count.forbidden++;
          else count.offChannel++;
        }
      }
    }
    return count;
  });
  send({ kind: 'report', phases: counts, otherMessages, closedByServer });
}

process.on('message', (m: ToClient) => {
  switch (m.kind) {
    case 'connect':
      mode = m.mode;
      records = m.records;
      void connectAll(m.url, m.sockets, m.concurrency);
      break;
    case 'phase':
      phases.push({ name: m.name, firstSeq: m.firstSeq, latency: createHistogram(), misnamed: 0 });
      break;
    case 'report':
      report(m.phases);
      break;
    case 'close':
      closing = true;
      for (const c of clients) c.ws.terminate();
      clients = [];
      send({ kind: 'closed' });
      process.disconnect();
      break;
  }
});
// The bench going away (a crash, Ctrl-C) must not leave 5,000 sockets behind.
process.on('disconnect', () => process.exit(0));
