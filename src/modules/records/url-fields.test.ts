import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

/** Links that run code when clicked, in the spellings that slip past naive checks. */
const HOSTILE = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  '   javascript:alert(1)',
  'javascript://%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
];

describe('URL fields accept http(s) links only', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = () => client(t.app, admin.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Links');
    for (const objectType of ['company', 'contact']) {
      const def = await api().post('/api/v1/custom-fields', {
        objectType,
        key: 'homepage',
        label: 'Homepage',
        type: 'url',
      });
      expect(def.statusCode, def.body).toBe(201);
    }
  });
  afterAll(() => t.close());

  const refused = (res: { statusCode: number }, path: string) => {
    expect(res.statusCode).toBe(400);
    expect(errorOf(res as Parameters<typeof errorOf>[0]).details?.map((d) => d.path)).toContain(
      path,
    );
  };

  it('refuses scripts in a company website and url custom field, on create and update', async () => {
    const company = (
      await api().post('/api/v1/companies', { name: 'Acme', website: 'https://acme.com' })
    ).json();
    expect(company.website).toBe('https://acme.com');
    for (const url of HOSTILE) {
      refused(await api().post('/api/v1/companies', { name: 'Evil', website: url }), 'website');
      refused(await api().patch(`/api/v1/companies/${company.id}`, { website: url }), 'website');
      refused(
        await api().patch(`/api/v1/companies/${company.id}`, { customFields: { homepage: url } }),
        'customFields.homepage',
      );
    }
    expect((await api().get(`/api/v1/companies/${company.id}`)).json()).toMatchObject({
      website: 'https://acme.com',
      customFields: {},
    });
    const trimmed = await api().patch(`/api/v1/companies/${company.id}`, {
      website: '  https://www.acme.com/about  ',
      customFields: { homepage: 'http://acme.example' },
    });
    expect(trimmed.statusCode, trimmed.body).toBe(200);
    expect(trimmed.json()).toMatchObject({
      website: 'https://www.acme.com/about',
      customFields: { homepage: 'http://acme.example' },
    });
  });

  it('refuses scripts in any social profile, naming the network, and accepts any subset of networks', async () => {
    const onlyLinkedin = await api().post('/api/v1/contacts', {
      firstName: 'Ada',
      socialProfiles: { linkedin: 'https://www.linkedin.com/in/ada' },
    });
    expect(onlyLinkedin.statusCode, onlyLinkedin.body).toBe(201);
    expect(onlyLinkedin.json().socialProfiles).toEqual({
      linkedin: 'https://www.linkedin.com/in/ada',
    });
    const id = onlyLinkedin.json().id as string;
    for (const url of HOSTILE) {
      refused(
        await api().post('/api/v1/contacts', {
          firstName: 'Eve',
          socialProfiles: { linkedin: 'https://l.example/eve', twitter: url },
        }),
        'socialProfiles.twitter',
      );
      refused(
        await api().patch(`/api/v1/contacts/${id}`, { socialProfiles: { website: url } }),
        'socialProfiles.website',
      );
      refused(
        await api().patch(`/api/v1/contacts/${id}`, { customFields: { homepage: url } }),
        'customFields.homepage',
      );
    }
    refused(
      await api().patch(`/api/v1/contacts/${id}`, {
        socialProfiles: { myspace: 'https://myspace.com/ada' },
      }),
      'socialProfiles.myspace',
    );
    const two = await api().patch(`/api/v1/contacts/${id}`, {
      socialProfiles: { github: 'https://github.com/ada', x: 'https://x.com/ada' },
    });
    expect(two.json().socialProfiles).toEqual({
      github: 'https://github.com/ada',
      x: 'https://x.com/ada',
    });
  });

  it("refuses them in a web form's redirect too, and answers 401 without a token", async () => {
    const fields = [
      { name: 'email', label: 'Email', type: 'email', leadField: 'email', required: true },
    ];
    for (const url of HOSTILE)
      refused(
        await api().post('/api/v1/forms', { name: 'Evil form', fields, redirectUrl: url }),
        'redirectUrl',
      );
    expect(
      (await client(t.app).post('/api/v1/companies', { name: 'Anon', website: 'https://acme.com' }))
        .statusCode,
    ).toBe(401);
  });
});
