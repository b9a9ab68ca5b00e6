import { describe, expect, it } from 'vitest';
import { describeFields } from '../../platform/objects/index.js';
import { fieldLine } from '../../../test/field-lines.js';
import { contactBody, contactCreateBody } from './contact-fields.js';
import { CONTACTS_OBJECTS } from './objects.js';

describe('the contact field list', () => {
  const contact = CONTACTS_OBJECTS.find((o) => o.key === 'contact');
  if (!contact?.described) throw new Error('contacts declare their fields with defineFields');
  const { described, ...fromSchemas } = contact;

  it('describes what the schemas it yields would be worked out to say', () => {
    expect(describeFields(contact)).toEqual(described);
    expect(describeFields(fromSchemas)).toEqual(described);
  });

  it('describes the fields GET /api/v1/objects has always answered for contacts', () => {
    expect(described.map(fieldLine)).toEqual([
      'id text Id',
      'firstName text efs 100 First name',
      'lastName text efs 100 Last name',
      'name text Name',
      'email email efs 254 Email',
      'emails json e Email addresses',
      'phone phone efs 40 Phone',
      'phones json e Phone numbers',
      'title text efs 200 Title',
      'companyId relation efs company Company',
      'ownerId relation efs user Owner',
      'status enum efs LEAD|PROSPECT|CUSTOMER|INACTIVE Status',
      'source text efs 100 Source',
      'tags tags ef Tags',
      'address json e Address',
      'socialProfiles json e Social profiles',
      'emailConsent json e Email consent',
      'leadScore number fs Lead score',
      'lastContactedAt datetime fs Last contacted at',
      'version number Version',
      'createdAt datetime fs Created at',
      'updatedAt datetime fs Updated at',
      'deletedAt datetime Deleted at',
    ]);
    expect(contact.relations).toEqual({ companyId: 'company', ownerId: 'user' });
  });

  it('turns the email and phone shorthands into one-entry lists, never beside the lists', () => {
    expect(contactBody.parse({ email: 'ada@example.com', phone: null })).toEqual({
      emails: [{ email: 'ada@example.com', primary: true }],
      phones: [],
    });
    const both = contactBody.safeParse({ email: 'a@b.co', emails: [] });
    expect(both.error?.issues.map((i) => i.message)).toEqual(['send email or emails, not both']);
  });

  it('creates a contact only with a first name, a last name or an email', () => {
    const nameless = contactCreateBody.safeParse({ title: 'CTO', email: null });
    expect(nameless.error?.issues.map((i) => i.path.join('.'))).toEqual(['firstName']);
    expect(contactCreateBody.parse({ emails: [{ email: 'ada@example.com' }] })).toEqual({
      emails: [{ email: 'ada@example.com', primary: false }],
    });
  });
});
