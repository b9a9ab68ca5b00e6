import { describe, expect, it } from 'vitest';
import { bodyOf, formEditorSchema, htmlNameFor, inputTypeOf, NEW_FORM } from './form-model';

const issues = (v: unknown) =>
  formEditorSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('the web form editor', () => {
  it('names posted fields after their lead field, custom fields without the prefix', () => {
    expect(htmlNameFor('email')).toBe('email');
    expect(htmlNameFor('custom.budget_eur')).toBe('budget_eur');
  });

  it('accepts the new-form defaults once named, and sends blanks as null', () => {
    const v = { ...NEW_FORM, name: ' Contact us ' };
    expect(issues(v)).toEqual([]);
    expect(bodyOf(v)).toMatchObject({
      name: 'Contact us',
      defaultSource: null,
      redirectUrl: null,
      honeypotField: 'homepage',
    });
  });

  it('refuses what the server would: duplicates, no contact point, the honeypot reused, ftp', () => {
    const row = { label: 'Notes', leadField: 'notes', name: 'notes', required: false };
    expect(issues({ ...NEW_FORM, name: 'x', fields: [row, { ...row, label: 'Again' }] })).toEqual([
      'fields.1.name: appears twice',
      'fields.1.leadField: appears twice',
      'fields: ask for at least a first or last name, an email or a company',
    ]);
    expect(issues({ ...NEW_FORM, name: 'x', honeypotField: 'email' })).toEqual([
      'honeypotField: must differ from every field name',
    ]);
    expect(issues({ ...NEW_FORM, name: 'x', redirectUrl: 'ftp://example.com/x' })).toEqual([
      'redirectUrl: must be an http(s) URL',
    ]);
    expect(issues({ ...NEW_FORM, name: 'x', fields: [] })).toEqual([
      'fields: a form needs at least one field',
      'fields: ask for at least a first or last name, an email or a company',
    ]);
  });

  it('renders the input a visitor gets as the embed snippet does', () => {
    expect(['email', 'phone', 'notes', 'country'].map(inputTypeOf)).toEqual([
      'email',
      'tel',
      'textarea',
      'text',
    ]);
  });
});
