// `npm run bench:realtime`: 10,000 WebSocket clients on one embedded server process. Record
// changes (PATCH over HTTP) are stamped when sent; each client process stamps their arrival, so the
// latency is change → message on the socket. A bare `ws` server in the same child-process shape
// (no auth, no permission checks, no database) broadcasting the same payload is the baseline of the
// same run. Reports only: no timing fails anything. Bounded in count and time; cleans up.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import {
  cpuSeconds,
  rssMb,
  startClientPool,
  type ClientPool,
  type PoolReport,
} from './realtime-pool.js';
import {
  marker,
  nowMicros,
  percentiles,
  type ClientMode,
  type SocketPlan,
} from './realtime-protocol.js';
import { changeOf, setupOrganization, type BenchOrganization } from './realtime-setup.js';
import { startBenchServer, type BenchServer } from './server.js';
import { saveResult } from './results.js';

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 10_000);
const CLIENT_PROCESSES = 2;
/** Changes a second of the steady phases, one phase per rate. */
const RATES = (process.env.BENCH_WS_RATES ?? '1,2')
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
const STEADY_SECONDS = Number(process.env.BENCH_WS_SECONDS ?? 15);
const BURST_SECONDS = Number(process.env.BENCH_WS_BURST_SECONDS ?? 10);
/** Changes in flight in the burst: the next is sent when one has reached all its sockets. */
const BURST_WINDOW = 4;
const MAX_BURST_CHANGES = 2_000;
const RECORDS_PER_KIND = 10;
const DRAIN_MS = 15_000;
const DEADLINE_MS = 15 * 60_000;

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each client process holds CLIENTS / CLIENT_PROCESSES sockets, the server all of them; both need that many descriptors. */
function checkFileLimit(): number {
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  if (Number.isFinite(limit) && limit < CLIENTS + 512) {
    throw new Error(
      `ulimit -n is ${limit}; the server process holds ${CLIENTS} sockets. Raise it (ulimit -n ${CLIENTS + 1024}) or set BENCH_WS_CLIENTS lower.`,
    );
  }
  return limit;
}

/**
 * Who opens each socket and what it subscribes to: credentials in turn; 70% `org` (+ `user:me`),
 * 20% `org` and one record's channel (one message per change all the same), 10% one record's
 * channel only — they must get that record's changes and nothing else.
 */
function socketPlans(org: BenchOrganization): SocketPlan[] {
  return Array.from({ length: CLIENTS }, (_, i) => {
    const credential = i % org.credentials.length;
    const record = org.records[Math.floor(i / 10) % org.records.length]?.channel ?? 'org';
    const channels = i % 10 === 9 ? [record] : i % 10 < 2 ? ['org', record] : ['org', 'user:me'];
    return { credential, token: org.credentials[credential]?.token ?? '', channels };
  });
}

/** One message as Cerebro sends it for each kind of record, to give the baseline the same bytes. */
async function captureSamples(server: BenchServer, org: BenchOrganization): Promise<string[]> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, {
    headers: { authorization: `Bearer ${org.adminToken}` },
  });
  const seen: string[] = [];
  ws.on('message', (raw: Buffer) => seen.push(raw.toString()));
  await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
  ws.send(JSON.stringify({ type: 'subscribe', channels: ['org'] }));
  await sleep(200);
  const samples: string[] = [];
  for (const [i, record] of org.records.slice(0, 2).entries()) {
    const text = marker(0, i);
    const change = changeOf(record, text);
    await patch(server.url, org.adminToken, change.path, change.body);
    const until = Date.now() + 5_000;
    while (!seen.some((m) => m.includes(text)) && Date.now() < until) await sleep(20);
    const sample = seen.find((m) => m.includes(text));
    if (!sample) throw new Error(`no message for ${record.channel}`);
    samples.push(sample.split(text).join('\u0000'));
  }
  ws.close();
  return samples;
}

async function patch(url: string, token: string, p: string, body: unknown): Promise<number> {
  const res = await globalThis.fetch(`${url}${p}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Sends change `seq` (stamped now) and answers the HTTP status. */
type Driver = (seq: number) => Promise<number>;

function cerebroDriver(url: string, org: BenchOrganization): Driver {
  return (seq) => {
    const record = org.records[seq % org.records.length];
    if (!record) throw new Error('no records');
    const change = changeOf(record, marker(seq, nowMicros()));
    return patch(url, org.adminToken, change.path, change.body);
  };
}

function bareDriver(url: string, samples: string[], records: number): Driver {
  return async (seq) => {
    const sample = samples[(seq % records) % samples.length] ?? '';
    const res = await globalThis.fetch(`${url}/broadcast`, {
      method: 'POST',
      body: sample.split('\u0000').join(marker(seq, nowMicros())),
    });
    await res.arrayBuffer();
    return res.status;
  };
}

interface PhaseRun {
  name: string;
  seqs: number[];
  seconds: number;
  httpErrors: number;
  httpMs: number[];
  undelivered: number;
  serverCpuSeconds: number;
  clientCpuSeconds: number;
}

let nextSeq = 1;

/** `rate` changes a second for STEADY_SECONDS, on schedule whatever the answers take (open loop). */
async function steady(
  rate: number,
  drive: Driver,
  pool: ClientPool,
  pid: number | undefined,
): Promise<PhaseRun> {
  const run = startPhase(`steady ${rate}/s`, pool, pid);
  const started = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let k = 0; k < rate * STEADY_SECONDS; k++) {
    const wait = started + (k * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    sends.push(send(drive, nextSeq++, run));
  }
  await Promise.all(sends);
  const delivered = await Promise.all(run.seqs.map((s) => pool.delivered(s, DRAIN_MS)));
  return endPhase(run, pool, pid, started, delivered);
}

/**
 * Changes in another organization at the first steady rate: the whole pipeline (HTTP, transaction,
 * outbox, consumers) runs with every socket held and none receiving — its CPU per change separates
 * the pipeline from the fan-out. A message reaching a socket here counts as `otherMessages`.
 */
async function silent(
  url: string,
  org: BenchOrganization,
  pid: number | undefined,
  idleCpuPercent: number,
): Promise<{ changes: number; errors: number; serverCpuMsPerChange: number }> {
  const rate = RATES[0] ?? 1;
  const cpu = cpuSeconds(pid);
  const started = performance.now();
  const sends: Array<Promise<number>> = [];
  for (let k = 0; k < rate * STEADY_SECONDS; k++) {
    const wait = started + (k * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    sends.push(
      patch(url, org.elsewhere.token, org.elsewhere.path, { name: `Elsewhere deal ${k}` }).catch(
        () => 0,
      ),
    );
  }
  const statuses = await Promise.all(sends);
  // The outbox delivers after the answer: give it the time a change takes to reach the sockets.
  await sleep(1_000);
  const ok = statuses.filter((s) => s === 200).length;
  // The server's own background work (periodic tasks, the outbox poll) is not the changes' cost.
  const busyMs =
    (cpuSeconds(pid) - cpu) * 1000 - idleCpuPercent * 10 * ((performance.now() - started) / 1000);
  return {
    changes: ok,
    errors: statuses.length - ok,
    serverCpuMsPerChange: Number((busyMs / Math.max(1, ok)).toFixed(1)),
  };
}

/** Closed loop: BURST_WINDOW changes in flight, each replaced once all its sockets have it. */
async function burst(drive: Driver, pool: ClientPool, pid: number | undefined): Promise<PhaseRun> {
  const run = startPhase('burst', pool, pid);
  const started = performance.now();
  const until = started + BURST_SECONDS * 1000;
  const delivered: boolean[] = [];
  await Promise.all(
    Array.from({ length: BURST_WINDOW }, async () => {
      while (performance.now() < until && run.seqs.length < MAX_BURST_CHANGES) {
        const seq = nextSeq++;
        await send(drive, seq, run);
        delivered.push(await pool.delivered(seq, DRAIN_MS));
      }
    }),
  );
  return endPhase(run, pool, pid, started, delivered);
}

function startPhase(name: string, pool: ClientPool, pid: number | undefined): PhaseRun {
  pool.phase(name, nextSeq);
  return {
    name,
    seqs: [],
    seconds: 0,
    httpErrors: 0,
    httpMs: [],
    undelivered: 0,
    serverCpuSeconds: -cpuSeconds(pid),
    clientCpuSeconds: -pool.cpuSeconds(),
  };
}

async function send(drive: Driver, seq: number, run: PhaseRun): Promise<void> {
  const t = performance.now();
  const status = await drive(seq).catch(() => 0);
  run.httpMs.push(performance.now() - t);
  if (status >= 200 && status < 300) run.seqs.push(seq);
  else run.httpErrors++;
}

function endPhase(
  run: PhaseRun,
  pool: ClientPool,
  pid: number | undefined,
  started: number,
  delivered: boolean[],
): PhaseRun {
  run.seconds = (performance.now() - started) / 1000;
  run.undelivered = delivered.filter((d) => !d).length;
  run.serverCpuSeconds += cpuSeconds(pid);
  run.clientCpuSeconds += pool.cpuSeconds();
  return run;
}

/** Connects the pool to a server, runs both phases, and answers the numbers with the memory on the way. */
async function measure(
  label: string,
  mode: ClientMode,
  server: BenchServer,
  sockets: SocketPlan[],
  org: BenchOrganization,
  drive: Driver,
  pipeline?: (pid: number | undefined, idleCpuPercent: number) => ReturnType<typeof silent>,
) {
  const pid = server.child.pid;
  await sleep(2_000);
  const memory = { idleMb: rssMb(pid), connectedMb: 0, peakMb: 0, afterRunMb: 0, afterCloseMb: 0 };
  const pool = startClientPool(CLIENT_PROCESSES);
  try {
    const connectStart = performance.now();
    let shown = 0;
    const connected = await pool.connect(
      `${server.url.replace('http', 'ws')}/ws`,
      mode,
      sockets,
      org.records,
      (open) => {
        if (open - shown >= 1_000)
          log(`  ${label}: ${(shown = open)} / ${sockets.length} sockets open`);
      },
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    log(
      `  ${label}: ${connected.open} open, ${connected.failed} failed in ${connectSeconds.toFixed(1)} s${connected.firstError ? ` (first error: ${connected.firstError})` : ''}`,
    );
    await sleep(2_000);
    memory.connectedMb = rssMb(pid);
    const idleCpu = cpuSeconds(pid);
    await sleep(5_000);
    const idleCpuPercent = Number((((cpuSeconds(pid) - idleCpu) / 5) * 100).toFixed(1));
    const sampler = setInterval(() => (memory.peakMb = Math.max(memory.peakMb, rssMb(pid))), 250);
    const runs: PhaseRun[] = [];
    const quiet = pipeline ? await pipeline(pid, idleCpuPercent) : null;
    if (quiet)
      log(
        `  ${label}: ${quiet.changes} changes in another organization, ${quiet.serverCpuMsPerChange} ms server CPU each`,
      );
    for (const rate of RATES) runs.push(await steady(rate, drive, pool, pid));
    runs.push(await burst(drive, pool, pid));
    for (const r of runs)
      log(`  ${label}: ${r.name}: ${r.seqs.length} changes in ${r.seconds.toFixed(1)} s`);
    clearInterval(sampler);
    memory.afterRunMb = rssMb(pid);
    const counted = await pool.report(runs.map((r) => ({ name: r.name, seqs: r.seqs })));
    await pool.close();
    await sleep(3_000);
    memory.afterCloseMb = rssMb(pid);
    const phases = runs.map((r, i) =>
      summarize(r, counted, i, pool, quiet?.serverCpuMsPerChange ?? 0),
    );
    return {
      connected: { ...connected, seconds: Number(connectSeconds.toFixed(1)) },
      idleCpuPercent,
      memory,
      pipelineOnly: quiet,
      otherMessages: counted.otherMessages,
      closedByServer: counted.closedByServer,
      phases,
    };
  } finally {
    await pool.close();
  }
}

/** `pipelineMsPerChange`: server CPU of a change that reaches no socket, to net the fan-out's own cost out. */
function summarize(
  run: PhaseRun,
  counted: PoolReport,
  i: number,
  pool: ClientPool,
  pipelineMsPerChange: number,
) {
  const parts = counted.phases.map((p) => p[i]).filter((p) => p !== undefined);
  const sum = (
    k:
      'expected' | 'delivered' | 'missing' | 'duplicates' | 'forbidden' | 'offChannel' | 'misnamed',
  ) => parts.reduce((s, p) => s + p[k], 0);
  const delivered = sum('delivered');
  const http = [...run.httpMs].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((http[Math.min(http.length - 1, Math.floor(http.length * q))] ?? 0).toFixed(1));
  return {
    phase: run.name,
    changes: run.seqs.length,
    seconds: Number(run.seconds.toFixed(2)),
    changesPerSecond: Number((run.seqs.length / run.seconds).toFixed(1)),
    fanOutPerChange: Math.round(
      run.seqs.reduce((s, q) => s + pool.expectedFor(q), 0) / Math.max(1, run.seqs.length),
    ),
    expected: sum('expected'),
    delivered,
    missing: sum('missing'),
    duplicates: sum('duplicates'),
    forbidden: sum('forbidden'),
    offChannel: sum('offChannel'),
    misnamed: sum('misnamed'),
    messagesPerSecond: Math.round(delivered / run.seconds),
    latency: percentiles(parts.map((p) => p.latency)),
    http: { errors: run.httpErrors, p50Ms: at(0.5), p99Ms: at(0.99) },
    changesNotFullyDelivered: run.undelivered,
    serverCpuSeconds: Number(run.serverCpuSeconds.toFixed(2)),
    serverCpuMsPer1000Messages: Number(
      ((run.serverCpuSeconds * 1e6) / Math.max(1, delivered)).toFixed(1),
    ),
    fanOutCpuMsPer1000Messages: Number(
      (
        ((run.serverCpuSeconds * 1000 - run.seqs.length * pipelineMsPerChange) * 1000) /
        Math.max(1, delivered)
      ).toFixed(1),
    ),
    clientCpuSeconds: Number(run.clientCpuSeconds.toFixed(2)),
  };
}

async function main(): Promise<void> {
  const fileLimit = checkFileLimit();
  const deadline = setTimeout(() => {
    log(`deadline of ${DEADLINE_MS / 60_000} min passed; stopping`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-realtime-'));
  let cerebro: BenchServer | null = null;
  let bare: BenchServer | null = null;
  try {
    // BENCH_WS_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) reach the server processes only.
    const nodeArgs = (process.env.BENCH_WS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    cerebro = await startBenchServer({ DATA_DIR: dataDir, ACCESS_TOKEN_TTL: '3600' }, [
      ...nodeArgs,
      path.resolve(import.meta.dirname, '../bin/cerebro.mjs'),
      'start',
    ]);
    log(
      `cerebro up in ${Math.round(cerebro.startupMs)} ms; setting up 50 users, 4 API keys, ${RECORDS_PER_KIND * 2} records`,
    );
    const org = await setupOrganization(cerebro.url, RECORDS_PER_KIND);
    const samples = await captureSamples(cerebro, org);
    const sockets = socketPlans(org);
    const url = cerebro.url;
    const real = await measure(
      'cerebro',
      'cerebro',
      cerebro,
      sockets,
      org,
      cerebroDriver(url, org),
      (pid, idle) => silent(url, org, pid, idle),
    );
    await cerebro.stop();
    cerebro = null;

    bare = await startBenchServer({}, [
      ...nodeArgs,
      '--import',
      'tsx',
      path.resolve(import.meta.dirname, 'realtime-bare.ts'),
    ]);
    const baseline = await measure(
      'bare ws',
      'bare',
      bare,
      sockets,
      org,
      bareDriver(bare.url, samples, org.records.length),
    );
    await bare.stop();
    bare = null;
    const realBurst = real.phases.at(-1);
    const bareBurst = baseline.phases.at(-1);
    const result = {
      name: 'realtime-fan-out',
      at: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: 2,
        fileLimit,
        clients: CLIENTS,
        clientProcesses: CLIENT_PROCESSES,
        database: 'embedded (PGlite)',
      },
      load: {
        steady: RATES.map((r) => `${r} changes/s for ${STEADY_SECONDS} s`),
        burst: `${BURST_WINDOW} changes in flight for ${BURST_SECONDS} s`,
      },
      organization: {
        credentials: org.credentials.map((c) => ({ label: c.label, role: c.role })),
        records: org.records.map((r) => ({
          channel: r.channel,
          owner: r.ownerLabel,
          readers: r.readers.length,
        })),
        messageBytes: samples.map((s) => Buffer.byteLength(s)),
      },
      cerebro: real,
      bare: baseline,
      ratios: {
        p99: real.phases.map((p, i) => ({
          phase: p.phase,
          cerebroMs: p.latency.p99Ms,
          bareMs: baseline.phases[i]?.latency.p99Ms ?? 0,
          ratio: Number(
            (p.latency.p99Ms / Math.max(0.1, baseline.phases[i]?.latency.p99Ms ?? 0)).toFixed(2),
          ),
        })),
        burstMessagesPerSecond: Number(
          (
            (realBurst?.messagesPerSecond ?? 0) / Math.max(1, bareBurst?.messagesPerSecond ?? 0)
          ).toFixed(3),
        ),
      },
    };
    const file = await saveResult('realtime', result);
    log(JSON.stringify({ cerebro: real, bare: baseline, ratios: result.ratios }, null, 2));
    log(`written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await cerebro?.stop();
    await bare?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
