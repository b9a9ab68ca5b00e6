import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

describe('mail over SMTP when SMTP_URL is set', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let t: TestApp;

  beforeAll(async () => {
    // A real SMTP server on loopback stands in for the provider at the network boundary.
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    t = await createTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Cerebro <crm@example.com>',
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the password reset over SMTP instead of the dev mailbox', async () => {
    const reg = (
      await client(t.app).post('/api/v1/auth/register', {
        email: 'smtp-user@example.com',
        password: 'correct-horse-battery',
        name: 'Mailed',
        organizationName: 'Mail Co',
      })
    ).json();
    expect(
      (await client(t.app).post('/api/v1/auth/password/forgot', { email: 'smtp-user@example.com' }))
        .statusCode,
    ).toBe(202);
    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['smtp-user@example.com']);
    expect(received[0]?.from).toBe('crm@example.com');
    expect(received[0]?.raw).toContain('Subject: Reset your Cerebro password');
    expect(received[0]?.raw).toMatch(/reset-password\?token=/);
    expect((await client(t.app, reg.accessToken).get('/api/v1/mailbox')).json().data).toEqual([]);
  });

  it('answers 503 and keeps nothing when the mail server is down', async () => {
    const down = await createTestApp({ SMTP_URL: 'smtp://127.0.0.1:1' });
    try {
      const admin = (
        await client(down.app).post('/api/v1/auth/register', {
          email: 'down@example.com',
          password: 'correct-horse-battery',
          name: 'Down',
          organizationName: 'Down Co',
        })
      ).json();
      const api = client(down.app, admin.accessToken);
      const role = (await api.get('/api/v1/roles'))
        .json()
        .data.find((r: { key: string }) => r.key === 'sales_rep');
      const res = await api.post('/api/v1/users/invitations', {
        email: 'invitee@example.com',
        roleId: role.id,
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('MAIL_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('30');
      expect((await api.get('/api/v1/users/invitations')).json().data).toEqual([]);
    } finally {
      await down.close();
    }
  });
});
