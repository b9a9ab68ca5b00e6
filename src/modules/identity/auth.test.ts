import { TOTP } from 'otpauth';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

const PASSWORD = 'correct-horse-battery';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('registers an organization whose first user is its admin', async () => {
    const res = await client(t.app).post('/api/v1/auth/register', {
      email: 'Founder@Example.com',
      password: PASSWORD,
      name: 'Founder',
      organizationName: 'Founders Inc',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({
      email: 'founder@example.com',
      name: 'Founder',
      mfaEnabled: false,
    });
    expect(body.organization).toMatchObject({ name: 'Founders Inc', slug: 'founders-inc' });
    const me = (await client(t.app, body.accessToken).get('/api/v1/auth/me')).json();
    expect(me.roles.map((r: { key: string }) => r.key)).toEqual(['admin']);
    expect(me.permissions).toContainEqual({ permission: 'users:update', scope: 'all' });
    const roles = (await client(t.app, body.accessToken).get('/api/v1/roles'))
      .json()
      .data.map((r: { key: string }) => r.key)
      .sort();
    expect(roles).toEqual([
      'admin',
      'marketing_specialist',
      'sales_manager',
      'sales_rep',
      'support_agent',
    ]);
    const dup = await client(t.app).post('/api/v1/auth/register', {
      email: 'founder@example.com',
      password: PASSWORD,
      name: 'Again',
      organizationName: 'Again',
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).code).toBe('IDENTITY_EMAIL_TAKEN');
  });

  it('rejects bad registration input naming each field', async () => {
    const res = await client(t.app).post('/api/v1/auth/register', {
      email: 'nope',
      password: 'short',
      name: '',
      organizationName: 'x'.repeat(101),
    });
    expect(res.statusCode).toBe(400);
    expect(
      errorOf(res)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['email', 'name', 'organizationName', 'password']);
  });

  it('gives the same answer for an unknown email and a wrong password, then throttles', async () => {
    const admin = await registerOrganization(t.app, 'Throttle');
    const unknown = await client(t.app).post('/api/v1/auth/login', {
      email: 'ghost@example.com',
      password: PASSWORD,
    });
    const wrong = await client(t.app).post('/api/v1/auth/login', {
      email: admin.email,
      password: 'wrong-password-1',
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(errorOf(unknown).code).toBe(errorOf(wrong).code);
    expect(errorOf(unknown).message).toBe(errorOf(wrong).message);
    for (let i = 0; i < 4; i++)
      await client(t.app).post('/api/v1/auth/login', {
        email: admin.email,
        password: 'wrong-password-1',
      });
    const blocked = await client(t.app).post('/api/v1/auth/login', {
      email: admin.email,
      password: PASSWORD,
    });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(blocked).code).toBe('RATE_LIMITED');
  });

  it('throttles one address trying many accounts, counting failures only', async () => {
    const fresh = await createTestApp();
    try {
      const ok = await registerOrganization(fresh.app, 'Office');
      for (let i = 0; i < 60; i++)
        expect(
          (
            await client(fresh.app).post('/api/v1/auth/login', {
              email: ok.email,
              password: PASSWORD,
            })
          ).statusCode,
        ).toBe(200);
      for (let i = 0; i < 50; i++)
        await client(fresh.app).post('/api/v1/auth/login', {
          email: `victim${i}@example.com`,
          password: 'guess-guess-guess',
        });
      const blocked = await client(fresh.app).post('/api/v1/auth/login', {
        email: ok.email,
        password: PASSWORD,
      });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('logs out at once and rotates refresh tokens, revoking the family on reuse', async () => {
    const admin = await registerOrganization(t.app, 'Sessions');
    const login = (
      await client(t.app).post('/api/v1/auth/login', { email: admin.email, password: PASSWORD })
    ).json();
    const refreshed = await client(t.app).post('/api/v1/auth/refresh', {
      refreshToken: login.refreshToken,
    });
    expect(refreshed.statusCode).toBe(200);
    const pair = refreshed.json();
    expect(pair.refreshToken).not.toBe(login.refreshToken);
    expect((await client(t.app, pair.accessToken).get('/api/v1/auth/me')).statusCode).toBe(200);
    const replay = await client(t.app).post('/api/v1/auth/refresh', {
      refreshToken: login.refreshToken,
    });
    expect(replay.statusCode).toBe(401);
    expect(errorOf(replay).code).toBe('IDENTITY_REFRESH_REUSED');
    expect(
      (await client(t.app).post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken }))
        .statusCode,
    ).toBe(401);
    expect((await client(t.app, pair.accessToken).get('/api/v1/auth/me')).statusCode).toBe(401);

    const again = (
      await client(t.app).post('/api/v1/auth/login', { email: admin.email, password: PASSWORD })
    ).json();
    expect((await client(t.app, again.accessToken).post('/api/v1/auth/logout')).statusCode).toBe(
      204,
    );
    expect((await client(t.app, again.accessToken).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect(
      (await client(t.app).post('/api/v1/auth/refresh', { refreshToken: again.refreshToken }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses tokens signed with another key, expired or with alg none', async () => {
    const admin = await registerOrganization(t.app, 'Forgery');
    const claims = { org: admin.organizationId, sid: '0190a000-0000-7000-8000-000000000001' };
    const otherKey = createSigner({
      key: Buffer.alloc(32, 7),
      algorithm: 'HS256',
      iss: 'cerebro',
      aud: 'cerebro-api',
      expiresIn: 300_000,
    })({ ...claims, sub: admin.userId });
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sub: admin.userId, iss: 'cerebro', aud: 'cerebro-api', exp: 9999999999 })).toString('base64url')}.`;
    for (const token of [otherKey, none]) {
      const res = await client(t.app, token).get('/api/v1/auth/me');
      expect(res.statusCode).toBe(401);
    }
    const short = await createTestApp({ ACCESS_TOKEN_TTL: '30' });
    try {
      const reg = (
        await client(short.app).post('/api/v1/auth/register', {
          email: 'exp@example.com',
          password: PASSWORD,
          name: 'E',
          organizationName: 'E',
        })
      ).json();
      const [, payload] = reg.accessToken.split('.');
      const exp = JSON.parse(Buffer.from(payload, 'base64url').toString()).exp;
      expect(exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(30);
    } finally {
      await short.close();
    }
  });

  it('runs the MFA flow with a real TOTP code and single-use recovery codes', async () => {
    const admin = await registerOrganization(t.app, 'Mfa');
    const api = client(t.app, admin.token);
    const setup = (await api.post('/api/v1/auth/mfa/setup')).json();
    expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const totp = new TOTP({ secret: setup.secret, digits: 6, period: 30, algorithm: 'SHA1' });
    expect((await api.post('/api/v1/auth/mfa/enable', { code: '000000' })).statusCode).toBe(400);
    const enabled = await api.post('/api/v1/auth/mfa/enable', { code: totp.generate() });
    expect(enabled.statusCode, enabled.body).toBe(200);
    const recovery = enabled.json().recoveryCodes as string[];
    expect(recovery).toHaveLength(10);
    const stored = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('users' as 'mailbox')
        .selectAll()
        .where('organization_id', '=', admin.organizationId)
        .executeTakeFirstOrThrow(),
    );
    expect(JSON.stringify(stored)).not.toContain(setup.secret);

    const step1 = (
      await client(t.app).post('/api/v1/auth/login', { email: admin.email, password: PASSWORD })
    ).json();
    expect(step1).toMatchObject({ mfaRequired: true });
    expect(step1.accessToken).toBeUndefined();
    expect(
      (
        await client(t.app).post('/api/v1/auth/mfa/verify', {
          mfaToken: step1.mfaToken,
          code: '123456',
        })
      ).statusCode,
    ).toBe(401);
    const ok = await client(t.app).post('/api/v1/auth/mfa/verify', {
      mfaToken: step1.mfaToken,
      code: totp.generate(),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().accessToken).toEqual(expect.any(String));
    const viaRecovery = await client(t.app).post('/api/v1/auth/mfa/verify', {
      mfaToken: step1.mfaToken,
      code: recovery[0],
    });
    expect(viaRecovery.statusCode).toBe(200);
    expect(
      (
        await client(t.app).post('/api/v1/auth/mfa/verify', {
          mfaToken: step1.mfaToken,
          code: recovery[0],
        })
      ).statusCode,
    ).toBe(401);
  });

  it('resets a forgotten password through the dev mailbox, once', async () => {
    const admin = await registerOrganization(t.app, 'Reset');
    expect(
      (await client(t.app).post('/api/v1/auth/password/forgot', { email: 'nobody@example.com' }))
        .statusCode,
    ).toBe(202);
    expect(
      (await client(t.app).post('/api/v1/auth/password/forgot', { email: admin.email })).statusCode,
    ).toBe(202);
    const api = client(t.app, admin.token);
    const mail = (await api.get('/api/v1/mailbox'))
      .json()
      .data.find((m: { to: string }) => m.to === admin.email);
    const text = (await api.get(`/api/v1/mailbox/${mail.id}`)).json().text as string;
    const token = /reset-password\?token=([\w-]+)/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect(
      (
        await client(t.app).post('/api/v1/auth/password/reset', {
          token,
          password: 'a-brand-new-password',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await client(t.app).post('/api/v1/auth/password/reset', {
          token,
          password: 'another-new-password',
        })
      ).statusCode,
    ).toBe(400);
    expect((await client(t.app, admin.token).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect(
      (
        await client(t.app).post('/api/v1/auth/login', {
          email: admin.email,
          password: 'a-brand-new-password',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('sets HttpOnly cookies for the web app and demands the CSRF token on writes', async () => {
    const res = await client(t.app).post(
      '/api/v1/auth/register',
      { email: 'web@example.com', password: PASSWORD, name: 'Web', organizationName: 'Web Co' },
      { 'x-cerebro-client': 'web' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().accessToken).toBeUndefined();
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(cookies.cerebro_access?.httpOnly).toBe(true);
    expect(cookies.cerebro_refresh?.httpOnly).toBe(true);
    expect(cookies.cerebro_csrf?.httpOnly).toBeFalsy();
    const jar = `cerebro_access=${cookies.cerebro_access?.value}; cerebro_csrf=${cookies.cerebro_csrf?.value}`;
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: jar } }))
        .statusCode,
    ).toBe(200);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { cookie: jar },
      payload: { name: 'A' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { cookie: jar, 'x-csrf-token': cookies.cerebro_csrf?.value ?? '' },
      payload: { name: 'A' },
    });
    expect(withCsrf.statusCode).toBe(201);
  });

  it('refuses sign-up when ALLOW_SIGNUP is off', async () => {
    const closed = await createTestApp({ ALLOW_SIGNUP: 'false' });
    try {
      const res = await client(closed.app).post('/api/v1/auth/register', {
        email: 'no@example.com',
        password: PASSWORD,
        name: 'No',
        organizationName: 'No',
      });
      expect(res.statusCode).toBe(403);
      expect((await client(closed.app).get('/api/v1/auth/config')).json()).toEqual({
        allowSignup: false,
        demo: true,
      });
    } finally {
      await closed.close();
    }
  });

  it("lists and revokes a user's own sessions only", async () => {
    const admin = await registerOrganization(t.app, 'SessionList');
    const second = (
      await client(t.app).post('/api/v1/auth/login', { email: admin.email, password: PASSWORD })
    ).json();
    const sessions = (await client(t.app, admin.token).get('/api/v1/sessions')).json().data;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = sessions.find((s: { current: boolean }) => !s.current);
    expect(
      (await client(t.app, admin.token).delete(`/api/v1/sessions/${other.id}`)).statusCode,
    ).toBe(204);
    expect((await client(t.app, second.accessToken).get('/api/v1/auth/me')).statusCode).toBe(401);
    const rep = await addUser(t.app, admin, 'sales_rep');
    const mine = (await client(t.app, admin.token).get('/api/v1/sessions')).json().data[0];
    expect((await client(t.app, rep.token).delete(`/api/v1/sessions/${mine.id}`)).statusCode).toBe(
      404,
    );
  });
});
