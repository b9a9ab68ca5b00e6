// What the real-time bench's processes share: the marker a change carries, the latency
// histogram, and the messages between the bench and its client processes.

/** Microseconds on CLOCK_MONOTONIC: one clock for every process of the machine, unlike performance.now(). */
export const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** The text a change writes into its record: its sequence number and the moment it was sent. */
export const marker = (seq: number, sentMicros: number): string => `wsb:${seq}:${sentMicros}`;

const COLON = 0x3a;

function digitsAt(buf: Buffer, from: number): { value: number; end: number } {
  let value = 0;
  let i = from;
  for (; i < buf.length; i++) {
    const c = buf[i] ?? 0;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
  }
  return { value, end: i };
}

/**
 * The marker of the change a raw frame carries, without parsing the JSON (the client processes
 * would spend more CPU on JSON.parse than the server on the fan-out). An update names its new value
 * twice (the record, and `changes.<field>.to`) and the old one — the previous change's marker —
 * once (`changes.<field>.from`); updates of one record may commit out of send order, and jsonb
 * reorders keys, so the marker seen twice is the change's.
 */
export function readMarker(buf: Buffer): { seq: number; sentMicros: number } | null {
  const found: Array<{ seq: number; sentMicros: number }> = [];
  for (let at = buf.indexOf('wsb:'); at !== -1; at = buf.indexOf('wsb:', at + 4)) {
    const seq = digitsAt(buf, at + 4);
    if (buf[seq.end] !== COLON) continue;
    const m = { seq: seq.value, sentMicros: digitsAt(buf, seq.end + 1).value };
    if (found.some((f) => f.seq === m.seq)) return m;
    found.push(m);
  }
  return found[0] ?? null;
}

const BUCKET_MICROS = 100;
const BUCKETS = 600_000;

/** Latencies in 0.1 ms buckets up to 60 s (slower ones land in the last bucket; max stays exact). */
export interface Histogram {
  counts: Uint32Array;
  max: number;
}

/** A histogram as it travels between processes: only its non-empty buckets. */
export interface SparseHistogram {
  buckets: Array<[number, number]>;
  maxMicros: number;
}

/** An empty histogram. */
export const createHistogram = (): Histogram => ({ counts: new Uint32Array(BUCKETS), max: 0 });

/** Adds one latency. */
export function recordLatency(h: Histogram, micros: number): void {
  const i = Math.min(BUCKETS - 1, Math.max(0, Math.floor(micros / BUCKET_MICROS)));
  h.counts[i] = (h.counts[i] ?? 0) + 1;
  if (micros > h.max) h.max = micros;
}

/** The non-empty buckets of `h`. */
export function toSparse(h: Histogram): SparseHistogram {
  const buckets: Array<[number, number]> = [];
  h.counts.forEach((n, i) => {
    if (n > 0) buckets.push([i, n]);
  });
  return { buckets, maxMicros: h.max };
}

/** Percentiles in ms of several processes' histograms together. */
export interface Percentiles {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Merges sparse histograms and reads p50/p95/p99/max (bucket upper bounds, so never optimistic). */
export function percentiles(parts: SparseHistogram[]): Percentiles {
  const merged = new Map<number, number>();
  for (const p of parts) for (const [i, n] of p.buckets) merged.set(i, (merged.get(i) ?? 0) + n);
  const sorted = [...merged].sort((a, b) => a[0] - b[0]);
  const count = sorted.reduce((s, [, n]) => s + n, 0);
  const maxMs = Math.max(0, ...parts.map((p) => p.maxMicros)) / 1000;
  const at = (q: number): number => {
    const rank = Math.ceil(count * q);
    let seen = 0;
    for (const [i, n] of sorted) {
      seen += n;
      if (seen >= rank) return Math.min(maxMs, ((i + 1) * BUCKET_MICROS) / 1000);
    }
    return maxMs;
  };
  const round = (ms: number) => Number(ms.toFixed(1));
  return {
    count,
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    p99Ms: round(at(0.99)),
    maxMs: round(maxMs),
  };
}

/** One socket a client process opens: whose credential, and what it subscribes to. */
export interface SocketPlan {
  /** Index into the credentials (a user's access token or an API key). */
  credential: number;
  token: string;
  channels: string[];
}

/** A record the bench changes: its channel and the credentials that may read it (asked of the REST API). */
export interface RecordPlan {
  channel: string;
  readers: number[];
}

/** `mode: 'cerebro'` checks every delivery against the readers; `'bare'` expects every socket to get every change. */
export type ClientMode = 'cerebro' | 'bare';

/** The bench to a client process. */
export type ToClient =
  | {
      kind: 'connect';
      url: string;
      mode: ClientMode;
      sockets: SocketPlan[];
      records: RecordPlan[];
      concurrency: number;
    }
  | { kind: 'phase'; name: string; firstSeq: number }
  | { kind: 'report'; phases: Array<{ name: string; seqs: number[] }> }
  | { kind: 'close' };

/** What one client process counted for one phase. */
export interface PhaseCount {
  name: string;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  /** Received by a socket whose credential may not read the record: must stay 0. */
  forbidden: number;
  /** Received for a record the socket neither watches nor gets through `org`: must stay 0. */
  offChannel: number;
  /** Delivered, but naming another channel than the one the socket gets it through: must stay 0. */
  misnamed: number;
  latency: SparseHistogram;
}

/** A client process to the bench. */
export type FromClient =
  | { kind: 'progress'; open: number }
  | {
      kind: 'connected';
      open: number;
      failed: number;
      firstError: string | null;
      expectedPerRecord: number[];
    }
  | { kind: 'done'; seq: number }
  | { kind: 'report'; phases: PhaseCount[]; otherMessages: number; closedByServer: number }
  | { kind: 'closed' };
