import { describe, expect, it } from 'vitest';
import { field } from './test-fields';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { createFields, defaultColumns, fieldSpec, filterKey } from './field-specs';

const object = (key: string, fields: ObjectField[]): ObjectDescription => ({
  key,
  resource: `${key}s`,
  labels: { singular: key, plural: `${key}s` },
  titleField: 'name',
  capabilities: {
    trash: true,
    merge: false,
    import: false,
    export: false,
    customFields: true,
    workflows: false,
    timeline: false,
  },
  fields,
  custom: false,
  icon: null,
  permission: 'companies',
  bulk: null,
  personalData: null,
});

const company = object('company', [
  field('id', 'text', { editable: false }),
  field('name', 'text', { required: true }),
  field('domain', 'text'),
  field('annualRevenue', 'json'),
  field('parentId', 'relation', { relation: 'company' }),
  field('ownerId', 'relation', { relation: 'user' }),
  field('teamId', 'relation', { relation: 'team' }),
  field('tier', 'enum', { custom: true, values: ['Gold', 'Silver'] }),
  field('createdAt', 'datetime', { editable: false }),
]);
const record: ObjectRecord = {
  id: 'c1',
  version: 3,
  createdAt: '2026-01-01T00:00:00Z',
  name: 'Acme',
  annualRevenue: { amount: 125000, currency: 'EUR' },
  customFields: { tier: 'Gold' },
};

describe('object field specs', () => {
  it('reads and writes custom fields under customFields, and filters them as custom.<key>', () => {
    const tier = company.fields.find((f) => f.key === 'tier');
    if (!tier) throw new Error('no tier');
    const spec = fieldSpec(tier, record, [company]);
    expect(spec).toMatchObject({ kind: 'select', value: 'Gold', path: 'customFields.tier' });
    expect(spec.toPatch('Silver')).toEqual({ customFields: { tier: 'Silver' } });
    expect(filterKey(tier)).toBe('custom.tier');
  });

  it('edits revenue as an amount in its currency and sends it back as money', () => {
    const revenue = company.fields.find((f) => f.key === 'annualRevenue');
    if (!revenue) throw new Error('no revenue');
    const spec = fieldSpec(revenue, record, [company]);
    expect(spec).toMatchObject({ kind: 'currency', currency: 'EUR', value: 125000 });
    expect(spec.toPatch(99)).toEqual({ annualRevenue: { amount: 99, currency: 'EUR' } });
  });

  it('makes relations to objects pickers, to users owner choices, and leaves other links out of forms', () => {
    const kinds = createFields(company, [company]).map((f) => [
      f.key,
      fieldSpec(f, null, [company]).kind,
    ]);
    expect(kinds).toEqual([
      ['name', 'text'],
      ['domain', 'text'],
      ['annualRevenue', 'currency'],
      ['parentId', 'relation'],
      ['ownerId', 'user'],
      ['tier', 'select'],
    ]);
  });

  it('shows the title first and choices before plain values by default', () => {
    expect(defaultColumns(company, [company])).toEqual([
      'name',
      'custom.tier',
      'domain',
      'parentId',
      'ownerId',
      'createdAt',
    ]);
  });
});
