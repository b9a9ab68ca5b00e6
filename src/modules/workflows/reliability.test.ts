import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cerebroProcess, freePort, type CerebroProcess } from '../../../test/cerebro-process.js';
import {
  apiClient,
  pollUntil,
  streamContacts,
  streamEmail,
  type StreamResult,
} from '../../../test/change-stream.js';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';
import { clonePostgresTemplate } from '../../../test/template.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';

// Issue: under a steady stream of record changes, kill the worker (SIGKILL) several times, then let
// it finish: every event handled, every run completed once, no email, webhook or task twice.

const CONTACTS = 120;
const EVERY_MS = 160;
const KILLS = 4;
/**
 * Jobs a runner has in flight at once — its concurrency (4) plus the next step a finishing one
 * hands over to run here: at most this many effects can be cut mid-way per kill.
 */
const IN_FLIGHT_PER_KILL = 5;

/** The processes of one deployment shape, and which one the test kills. */
interface Deployment {
  url: string;
  victim: CerebroProcess;
  close(): Promise<void>;
}

interface Shape {
  name: string;
  boot(env: Record<string, string>): Promise<Deployment>;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Everything in one process on a PGlite data directory: the kill takes the API down too. */
const embedded: Shape = {
  name: 'embedded (one process, PGlite data dir, in-process events)',
  async boot(env) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-reliability-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const server = cerebroProcess('start', {
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    cleanups.push(() => server.kill());
    await server.start();
    return { url: `http://127.0.0.1:${port}`, victim: server, close: () => server.stop() };
  },
};

/** `cerebro api` and `cerebro worker` on a cloned PostgreSQL database: only the worker is killed. */
const postgres = (extra: Record<string, string> = {}): Shape => ({
  name: `PostgreSQL, separate api and worker${extra.AMQP_URL ? ', RabbitMQ' : ''}`,
  async boot(env) {
    const baseUrl = process.env.TEST_DATABASE_URL ?? '';
    const clone = await clonePostgresTemplate(baseUrl);
    cleanups.push(clone.drop);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-reliability-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    // A short lease, so a job the killed worker held is taken over in seconds, not half a minute.
    const shared = {
      ...env,
      ...extra,
      DATABASE_URL: clone.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      JOB_LEASE_SECONDS: '5',
    };
    const api = cerebroProcess('api', shared);
    const worker = cerebroProcess('worker', shared);
    cleanups.push(
      () => api.kill(),
      () => worker.kill(),
    );
    await api.start();
    await worker.start();
    return {
      url: `http://127.0.0.1:${port}`,
      victim: worker,
      close: async () => (await worker.stop(), await api.stop()),
    };
  },
});

// One shape per suite run: the embedded suite kills the one process (in-process events); the
// services suite kills the worker of an api + worker pair, with events on RabbitMQ when CI gives
// TEST_AMQP_URL (it always does).
const SHAPES: Shape[] = process.env.TEST_DATABASE_URL
  ? [
      postgres(
        process.env.TEST_AMQP_URL
          ? {
              AMQP_URL: process.env.TEST_AMQP_URL,
              // Queues of its own: a killed run of another checkout can leave events of a
              // database that no longer exists in the shared `cerebro.*` queues.
              AMQP_PREFIX: `reliability-${process.pid}-${Date.now().toString(36)}`,
            }
          : {},
      ),
    ]
  : [embedded];

interface Run {
  id: string;
  status: string;
  recordId: string | null;
  error: string | null;
}
interface Task {
  id: string;
  contactId: string | null;
  subject: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills the victim `KILLS` times at random moments, restarting it right after each kill. */
async function killRepeatedly(victim: CerebroProcess): Promise<number[]> {
  const uptimes: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const up = 1_500 + Math.floor(Math.random() * 2_500);
    uptimes.push(up);
    await sleep(up);
    await victim.kill();
    await victim.start();
  }
  return uptimes;
}

describe.each(SHAPES)('reliability under SIGKILL: $name', (shape) => {
  let smtp: SmtpSink;
  let receiver: Receiver;

  it(`${CONTACTS} contact creations with ${KILLS} kills: one run, task, email and webhook per contact`, async () => {
    smtp = await startSmtpSink();
    receiver = await startReceiver();
    cleanups.push(
      () => smtp.close(),
      () => receiver.close(),
    );
    const deployment = await shape.boot({
      SMTP_URL: smtp.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      DEMO: 'false',
      ENCRYPTION_KEY: 'b'.repeat(64),
    });
    cleanups.push(() => deployment.close());
    let token = '';
    const api = apiClient(
      () => deployment.url,
      () => token,
    );
    const reg = await api.request('POST', '/api/v1/auth/register', {
      email: 'admin@reliability.example',
      password: 'correct-horse-battery',
      name: 'Admin',
      organizationName: 'Reliability',
    });
    expect(reg.status, JSON.stringify(reg.json)).toBe(201);
    token = String(reg.json.accessToken);

    const draft = {
      trigger: { type: 'record_created', object: 'contact' },
      conditions: null,
      layout: {},
      start: 'task',
      steps: [
        {
          id: 'task',
          type: 'create_task',
          subject: 'Welcome call {{contact.email}}',
          next: 'mail',
        },
        {
          id: 'mail',
          type: 'send_email',
          subject: 'Welcome {{contact.firstName}}',
          body: 'Hello {{contact.firstName}}',
          next: 'hook',
        },
        {
          id: 'hook',
          type: 'call_webhook',
          url: receiver.url,
          body: '{"email": {{contact.email}}}',
          next: null,
        },
      ],
    };
    const created = await api.request('POST', '/api/v1/workflows', { name: 'Welcome', draft });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const workflowId = String(created.json.id);
    expect((await api.request('POST', `/api/v1/workflows/${workflowId}/publish`)).status).toBe(200);
    expect(
      (await api.request('PATCH', `/api/v1/workflows/${workflowId}`, { enabled: true })).status,
    ).toBe(200);

    const started = Date.now();
    // The deadlines only bound the test: each of the four restarts can take 15 s on a loaded
    // 2-core machine, and what is checked is that every create is acknowledged once, not how fast.
    const [stream, uptimes]: [StreamResult, number[]] = await Promise.all([
      streamContacts(api, { run: 'r', count: CONTACTS, everyMs: EVERY_MS, deadlineMs: 120_000 }),
      killRepeatedly(deployment.victim),
    ]);
    const acknowledged = new Set(stream.ids);
    expect(acknowledged.size).toBe(CONTACTS);
    // The create's Idempotency-Key commits with the contact: a kill at any moment leaves either
    // both (the retry gets the first answer) or neither (the retry creates it).
    expect(stream.lostAnswers).toBe(0);

    const runsPath = `/api/v1/workflow-runs?workflowId=${workflowId}&limit=200`;
    const finished = await pollUntil(async () => {
      const runs = await api.all<Run>(runsPath);
      return (
        runs.length >= CONTACTS &&
        runs.every((r) => r.status !== 'running' && r.status !== 'waiting')
      );
    }, 90_000);
    const runs = await api.all<Run>(runsPath);
    const contacts = await api.all<{ id: string; email: string | null }>(
      '/api/v1/contacts?limit=200',
    );
    const tasks = (await api.all<Task>('/api/v1/activities?filter[type]=task&limit=200')).filter(
      (t) => t.subject.startsWith('Welcome call '),
    );
    const raw = { emails: smtp.messages.length, webhooks: receiver.requests.length };
    // Steps that ran more than once: jobs a killed process held, released on restart or taken over after their lease.
    const details = await Promise.all(
      runs.map(
        async (r) =>
          (await api.request('GET', `/api/v1/workflow-runs/${r.id}`)).json as {
            steps: Array<{ attempt: number }>;
          },
      ),
    );
    const rerunSteps = details.reduce((n, d) => n + d.steps.filter((s) => s.attempt > 1).length, 0);
    // The numbers behind the verdict, for the report.
    process.stdout.write(
      `[reliability] ${shape.name}: ${JSON.stringify({ seconds: (Date.now() - started) / 1000, kills: KILLS, uptimesMs: uptimes, starts: deployment.victim.starts(), retries: stream.retries, lostAnswers: stream.lostAnswers, runs: runs.length, rerunSteps, raw })}\n`,
    );
    // What the jobs of unfinished runs say, for the failure message.
    const unfinishedJobs = finished
      ? []
      : (
          await Promise.all(
            ['failed', 'pending', 'running'].map((s) =>
              api.all<Record<string, unknown>>(`/api/v1/jobs?filter[status]=${s}&limit=50`),
            ),
          )
        ).flat();
    expect(
      finished,
      `runs did not all finish: ${JSON.stringify(runs.filter((r) => r.status !== 'succeeded').slice(0, 3))} jobs not succeeded: ${JSON.stringify(unfinishedJobs.slice(0, 5))} ${deployment.victim.stderrTail()}`,
    ).toBe(true);

    // Every acknowledged create is there once, and nothing else: no retry made a second contact.
    expect(contacts.map((c) => c.id).sort()).toEqual([...acknowledged].sort());
    expect(new Set(contacts.map((c) => c.email)).size).toBe(CONTACTS);
    // One run per contact, each succeeded.
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
    expect(runs.map((r) => r.recordId).sort()).toEqual([...acknowledged].sort());
    // One task per contact: the task is created in the transaction that moves the run on.
    expect(tasks.map((t) => t.contactId).sort()).toEqual([...acknowledged].sort());

    // Mail: exactly one distinct Message-ID per run, each to its contact.
    const expectedIds = new Map(
      runs.map((r) => [
        `<wf-${r.id}-1@127.0.0.1>`,
        contacts.find((c) => c.id === r.recordId)?.email ?? '',
      ]),
    );
    const distinct = new Map(smtp.messages.map((m) => [m.messageId ?? '', m.to.join(',')]));
    expect([...distinct.keys()].sort()).toEqual([...expectedIds.keys()].sort());
    for (const [id, to] of distinct) expect(to).toBe(expectedIds.get(id));
    // A raw resend can only come from a kill between the SMTP send and its commit (same Message-ID).
    expect(raw.emails - CONTACTS).toBeLessThanOrEqual(KILLS * IN_FLIGHT_PER_KILL);

    // Webhooks: exactly one distinct Idempotency-Key per run (<runId>:<seq>, the third step is seq 2).
    const keys = new Set(receiver.requests.map((r) => String(r.headers['idempotency-key'])));
    expect([...keys].sort()).toEqual(runs.map((r) => `${r.id}:2`).sort());
    const emailsByKey = new Map(
      receiver.requests.map((r) => [
        String(r.headers['idempotency-key']),
        (JSON.parse(r.body) as { email: string }).email,
      ]),
    );
    expect([...emailsByKey.values()].sort()).toEqual(
      Array.from({ length: CONTACTS }, (_, i) => streamEmail('r', i)).sort(),
    );
    expect(raw.webhooks - CONTACTS).toBeLessThanOrEqual(KILLS * IN_FLIGHT_PER_KILL);
  }, 300_000);
});
