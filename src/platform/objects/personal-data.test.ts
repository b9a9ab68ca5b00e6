import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { objectRegistry, type ObjectDefinition } from './index.js';
import {
  columnOf,
  erasedColumns,
  personalDataProblems,
  personalEmailsOf,
} from './personal-data.js';

const person = z.object({
  id: z.uuid(),
  fullName: z.string(),
  email: z.string().nullable(),
  emails: z.array(z.object({ email: z.string() })),
  status: z.string(),
});

const objectWith = (personalData: ObjectDefinition['personalData']): ObjectDefinition => ({
  key: 'person',
  resource: 'people',
  labels: { singular: 'Person', plural: 'People' },
  titleField: 'fullName',
  schema: person,
  createBody: person.omit({ id: true }),
  updateBody: person.omit({ id: true }).partial(),
  listFields: {},
  relations: {},
  capabilities: {
    trash: false,
    merge: false,
    import: false,
    export: false,
    customFields: true,
    workflows: false,
    timeline: false,
  },
  personalData,
});

describe('personal data declarations', () => {
  const decl = {
    fields: ['fullName', 'email', 'emails', 'customFields'],
    emailFields: ['email', 'emails'],
    erasedValues: { fullName: '[erased]', emails: '[]', customFields: '{}' },
  };

  it('erases each declared field into its column, null unless another value is declared', () => {
    expect(columnOf('socialProfiles')).toBe('social_profiles');
    expect(erasedColumns(decl)).toEqual({
      full_name: '[erased]',
      email: null,
      emails: '[]',
      custom_fields: '{}',
    });
  });

  it("reads a record's addresses from its email fields, lower-cased and each once", () => {
    const record = {
      email: 'Ada@Example.com',
      emails: [{ email: 'ada@example.com' }, { email: 'ADA@work.example' }],
      status: 'x@not-an-email-field.example',
    };
    expect(personalEmailsOf(decl, record)).toEqual(['ada@example.com', 'ada@work.example']);
    expect(personalEmailsOf(decl, { email: null, emails: [] })).toEqual([]);
  });

  it('names every mistake of a declaration', () => {
    const known = new Set(['fullName', 'email']);
    expect(
      personalDataProblems(
        'person',
        {
          fields: ['fullName', 'nickname'],
          emailFields: ['email'],
          erasedValues: { status: null },
        },
        known,
      ),
    ).toEqual([
      'person: personal field "nickname" is not one of its fields',
      'person: email field "email" is not declared personal',
      'person: erased value for "status", which is not declared personal',
    ]);
    expect(personalDataProblems('person', decl, new Set([...decl.fields]))).toEqual([]);
  });

  it('the registry refuses an object whose declaration names a field it does not have', () => {
    expect(objectRegistry([objectWith(decl)]).get('person')?.personalData).toBe(decl);
    expect(() =>
      objectRegistry([objectWith({ fields: ['fullName', 'birthday'], emailFields: [] })]),
    ).toThrow('personal field "birthday" is not one of its fields');
  });
});
