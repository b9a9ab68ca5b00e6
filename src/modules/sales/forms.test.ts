import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { sql, withSystem } from '../../platform/db/index.js';

const FORMS = '/api/v1/forms';
const FIELDS = [
  { name: 'your_name', label: 'Your <b>name</b>', leadField: 'firstName', required: true },
  { name: 'your_email', label: 'Email', leadField: 'email', required: true },
  { name: 'your_phone', label: 'Phone', leadField: 'phone' },
  { name: 'company', label: 'Company', leadField: 'companyName' },
  { name: 'size', label: 'Company size', leadField: 'companySize' },
];

describe('web forms', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let rep: TestUser;
  let formId: string;
  let plainFormId: string;
  let ipSeq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Forms');
    other = await registerOrganization(t.app, 'Elsewhere');
    rep = await addUser(t.app, admin, 'sales_rep');
    const api = client(t.app, admin.token);
    const rule = await api.post('/api/v1/lead-assignment-rules', {
      name: 'Enterprise to rep',
      strategy: 'user',
      userId: rep.userId,
      conditions: [{ field: 'companySize', op: 'equals', value: '1000+' }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const form = await api.post(FORMS, {
      name: 'Contact us',
      fields: FIELDS,
      defaultSource: 'website',
      redirectUrl: 'https://www.example.com/thanks',
    });
    expect(form.statusCode, form.body).toBe(201);
    formId = form.json().id;
    plainFormId = (
      await api.post(FORMS, {
        name: 'No redirect',
        fields: FIELDS.slice(0, 2),
        honeypotField: 'fax',
      })
    ).json().id;
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  /** Each test posts from its own address, so the per-address rate limit only meets its own test. */
  const nextIp = () => `198.51.100.${++ipSeq}`;
  const submit = (id: string, body: Record<string, unknown> | string, ip: string) =>
    t.app.inject({
      method: 'POST',
      url: `${FORMS}/${id}/submit`,
      remoteAddress: ip,
      ...(typeof body === 'string'
        ? { payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
        : { payload: body }),
    });
  const leadsOfForm = async (id: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql<
          Record<string, unknown>
        >`select * from leads where form_id = ${id} order by created_at, id`.execute(tx),
      )
    ).rows;

  it('validates form definitions naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', fields: [] }, 'fields'],
      [
        {
          name: 'x',
          fields: [
            { name: 'a', label: 'A', leadField: 'firstName' },
            { name: 'a', label: 'B', leadField: 'email' },
          ],
        },
        'fields.1.name',
      ],
      [
        { name: 'x', fields: [{ name: 'a', label: 'A', leadField: 'password' }] },
        'fields.0.leadField',
      ],
      [{ name: 'x', fields: [{ name: 'a', label: 'A', leadField: 'title' }] }, 'fields'],
      [{ name: 'x', fields: FIELDS, honeypotField: 'company' }, 'honeypotField'],
      [{ name: 'x', fields: FIELDS, redirectUrl: 'javascript:alert(1)' }, 'redirectUrl'],
    ];
    for (const [body, path] of cases) {
      const res = await api().post(FORMS, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const unknownTeam = await api().post(FORMS, {
      name: 'x',
      fields: FIELDS,
      defaultTeamId: '0190a000-0000-7000-8000-000000000001',
    });
    expect(unknownTeam.statusCode).toBe(422);
    expect(errorOf(unknownTeam).details?.map((d) => d.path)).toEqual(['defaultTeamId']);
  });

  it('is managed by admins and team managers only, and is invisible to other organizations', async () => {
    expect((await api(rep).post(FORMS, { name: 'Mine', fields: FIELDS })).statusCode).toBe(403);
    expect((await api(rep).get(FORMS)).statusCode).toBe(403);
    const manager = await addUser(t.app, admin, 'sales_manager');
    await createTeam(t.app, admin, 'Inbound', [{ userId: manager.userId, isManager: true }]);
    expect((await api(manager).get(`${FORMS}/${formId}`)).json().name).toBe('Contact us');
    expect((await client(t.app).get(FORMS)).statusCode).toBe(401);
    for (const res of [
      await api(other).get(`${FORMS}/${formId}`),
      await api(other).patch(`${FORMS}/${formId}`, { name: 'Hacked' }),
      await api(other).delete(`${FORMS}/${formId}`),
      await api(other).get(`${FORMS}/${formId}/embed`),
    ])
      expect(res.statusCode).toBe(404);
    expect((await api(other).get(FORMS)).json().data).toEqual([]);
    const stale = await api().patch(
      `${FORMS}/${formId}`,
      { name: 'Renamed' },
      { 'if-match': '99' },
    );
    expect(stale.statusCode).toBe(412);
  });

  it('gives an embeddable snippet posting to the submit URL, with the honeypot hidden', async () => {
    const res = await api().get(`${FORMS}/${formId}/embed`);
    expect(res.statusCode).toBe(200);
    const { submitUrl, html } = res.json();
    expect(submitUrl).toBe(`http://cerebro.test/api/v1/forms/${formId}/submit`);
    expect(html).toContain(`<form action="${submitUrl}" method="post"`);
    expect(html).toContain('name="your_email" required type="email"');
    expect(html).toMatch(
      /<div style="position:absolute;left:-10000px[^"]*" aria-hidden="true">\s*<label>[^<]*<input type="text" name="homepage" tabindex="-1"/,
    );
    expect(html).toContain('Your &lt;b&gt;name&lt;/b&gt; *');
    expect(html).not.toContain('<b>name</b>');
  });

  it('takes a JSON submission without login and routes it through the assignment rules', async () => {
    const res = await submit(
      formId,
      {
        your_name: 'Ada',
        your_email: 'ADA@Example.com',
        your_phone: '+1 415 555 0100',
        company: 'Analytical',
        size: '1000+',
        submit: 'Send',
      },
      nextIp(),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true });
    const [lead] = await leadsOfForm(formId);
    expect(lead).toMatchObject({
      first_name: 'Ada',
      email: 'ada@example.com',
      phone: '+14155550100',
      company_name: 'Analytical',
      source: 'website',
      owner_id: rep.userId,
      status: 'new',
    });
    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', String(lead?.id))
        .orderBy('position')
        .execute(),
    );
    expect(events.map((e) => e.type)).toEqual(['lead.created', 'lead.assigned']);
  });

  it('takes a browser form post: 303 to the redirect URL, or a thank-you page without one', async () => {
    const ip = nextIp();
    const redirected = await submit(
      formId,
      'your_name=Grace+Hopper&your_email=grace%40navy.example&company=US+Navy',
      ip,
    );
    expect(redirected.statusCode, redirected.body).toBe(303);
    expect(redirected.headers.location).toBe('https://www.example.com/thanks');
    expect((await leadsOfForm(formId)).map((l) => l.email)).toContain('grace@navy.example');
    const page = await submit(
      plainFormId,
      'your_name=Alan&your_email=alan%40bletchley.example',
      ip,
    );
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Thank you');
    const [alan] = await leadsOfForm(plainFormId);
    expect(alan).toMatchObject({ first_name: 'Alan', owner_id: null, source: 'web form' });
  });

  it('answers a filled honeypot as if all went well and stores nothing', async () => {
    const before = (await leadsOfForm(formId)).length;
    const json = await submit(
      formId,
      { your_name: 'Bot', your_email: 'bot@spam.example', homepage: 'http://spam.example' },
      nextIp(),
    );
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ received: true });
    const posted = await submit(
      formId,
      'your_name=Bot&your_email=bot%40spam.example&homepage=http%3A%2F%2Fspam.example',
      nextIp(),
    );
    expect(posted.statusCode).toBe(303);
    expect((await leadsOfForm(formId)).length).toBe(before);
  });

  it("rejects invalid submissions naming the form's own fields", async () => {
    const ip = nextIp();
    const missing = await submit(formId, { your_name: 'Ada' }, ip);
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).details).toEqual([{ path: 'your_email', message: 'is required' }]);
    const wrong = await submit(formId, 'your_name=Ada&your_email=not-an-email&your_phone=12', ip);
    expect(wrong.statusCode).toBe(400);
    expect(
      errorOf(wrong)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['your_email', 'your_phone']);
    expect((await submit(formId, [] as unknown as Record<string, unknown>, ip)).statusCode).toBe(
      400,
    );
  });

  it('answers 404 for an unknown or inactive form', async () => {
    const ip = nextIp();
    expect(
      (await submit('0190a000-0000-7000-8000-0000000000aa', { your_name: 'A' }, ip)).statusCode,
    ).toBe(404);
    const off = (await api().post(FORMS, { name: 'Off', fields: FIELDS, active: false })).json();
    expect(
      (await submit(off.id, { your_name: 'A', your_email: 'a@b.example' }, ip)).statusCode,
    ).toBe(404);
  });

  it('limits submissions per address and form: the 11th in a minute is a 429 with Retry-After', async () => {
    const ip = nextIp();
    for (let i = 0; i < 10; i++)
      expect(
        (
          await submit(
            plainFormId,
            { your_name: `Person ${i}`, your_email: `p${i}@rate.example` },
            ip,
          )
        ).statusCode,
      ).toBe(200);
    const limited = await submit(
      plainFormId,
      { your_name: 'One too many', your_email: 'p10@rate.example' },
      ip,
    );
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await leadsOfForm(plainFormId)).map((l) => l.email)).not.toContain('p10@rate.example');
    expect(
      (
        await submit(
          plainFormId,
          { your_name: 'Neighbour', your_email: 'n@rate.example' },
          nextIp(),
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (await submit(formId, { your_name: 'Other form', your_email: 'o@rate.example' }, ip))
        .statusCode,
    ).toBe(200);
  });
});
