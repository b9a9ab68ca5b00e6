import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';
import { definition, settle } from '../../../test/workflows.js';
import { withSystem } from '../../platform/db/index.js';
import { SEND_EMAIL_JOB } from './email-job.js';

interface Job {
  status: string;
  attempts: number;
}

const jobsOf = (t: TestApp, organizationId: string) =>
  withSystem(
    t.deps.database.db,
    async (tx) =>
      (
        await sql<Job>`select status, attempts from jobs
        where organization_id = ${organizationId} and name = ${SEND_EMAIL_JOB}`.execute(tx)
      ).rows,
  );

/** A workflow that mails each new contact, then tags it: the mail is the first of two inline steps. */
const MAIL_THEN_TAG = definition({
  trigger: { type: 'record_created', object: 'contact' },
  start: 'mail',
  steps: [
    {
      id: 'mail',
      type: 'send_email',
      subject: 'Hi {{contact.firstName}}',
      body: 'Welcome',
      next: 'tag',
    },
    { id: 'tag', type: 'add_tag', tag: 'mailed', next: null },
  ],
});

async function live(t: TestApp, admin: TestUser): Promise<string> {
  const api = client(t.app, admin.token);
  const id = String(
    (await api.post('/api/v1/workflows', { name: 'Mail', draft: MAIL_THEN_TAG })).json().id,
  );
  expect((await api.post(`/api/v1/workflows/${id}/publish`)).statusCode).toBe(200);
  expect((await api.patch(`/api/v1/workflows/${id}`, { enabled: true })).statusCode).toBe(200);
  return id;
}

describe('a send_email step over SMTP', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ SMTP_URL: sink.url });
    admin = await registerOrganization(t.app, 'Mail step');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('is sent after the step commits, by a job, with the Message-ID of its run and step', async () => {
    const workflowId = await live(t, admin);
    const api = client(t.app, admin.token);
    const contact = (
      await api.post('/api/v1/contacts', {
        firstName: 'Ada',
        lastName: 'Mail',
        email: 'ada@mail.example',
      })
    ).json<{ id: string }>();
    await t.deps.outbox.drain();
    // The run is done (both steps inline), the mail is only queued: nothing went out in the transaction.
    const [run] = (await api.get(`/api/v1/workflow-runs?workflowId=${workflowId}`)).json()
      .data as Array<{
      id: string;
      status: string;
    }>;
    expect(run?.status).toBe('succeeded');
    expect(sink.messages).toHaveLength(0);
    expect(await jobsOf(t, admin.organizationId)).toEqual([{ status: 'pending', attempts: 0 }]);
    await settle(t);
    expect(sink.messages.map((m) => [m.to.join(','), m.messageId])).toEqual([
      [
        'ada@mail.example',
        `<wf-${run?.id ?? ''}-0@${new URL(t.deps.config.http.publicUrl).hostname}>`,
      ],
    ]);
    expect(await jobsOf(t, admin.organizationId)).toEqual([{ status: 'succeeded', attempts: 1 }]);
    const tagged = (await api.get(`/api/v1/contacts/${contact.id}`)).json<{ tags: string[] }>();
    expect(tagged.tags).toEqual(['mailed']);
  });
});

describe('a send_email step while the mail server is down', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    // Nothing listens on port 9 (discard) here: every connection is refused.
    t = await createTestApp({ SMTP_URL: 'smtp://127.0.0.1:9' });
    admin = await registerOrganization(t.app, 'Mail down');
  });
  afterAll(() => t.close());

  it('does not fail the run: the mail waits in its job, which retries', async () => {
    const workflowId = await live(t, admin);
    const api = client(t.app, admin.token);
    await api.post('/api/v1/contacts', {
      firstName: 'Bo',
      lastName: 'Down',
      email: 'bo@mail.example',
    });
    await settle(t);
    const [run] = (await api.get(`/api/v1/workflow-runs?workflowId=${workflowId}`)).json()
      .data as Array<{
      status: string;
    }>;
    expect(run?.status).toBe('succeeded');
    // Waiting for its next try (how many it had depends on how long settling took): not failed, not sent.
    const jobs = await jobsOf(t, admin.organizationId);
    expect(jobs.map((j) => j.status)).toEqual(['pending']);
    expect(jobs[0]?.attempts).toBeGreaterThanOrEqual(1);
  });
});
