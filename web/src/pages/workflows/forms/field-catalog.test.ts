import { describe, expect, it } from 'vitest';
import type { ObjectDescription, ObjectField } from '../../../api/types';
import { catalogsOf, fieldsOf, kindOf, labelOf, objectOptions } from './field-catalog';
import { OBJECTS_FIXTURE } from './objects.fixture';

const field = (over: Partial<ObjectField> & Pick<ObjectField, 'key' | 'kind'>): ObjectField => ({
  label: over.key,
  required: false,
  editable: true,
  filterable: true,
  sortable: true,
  custom: false,
  ...over,
});

describe('the field catalogs', () => {
  it('offers the objects that take workflows, in the order GET /objects lists them', () => {
    const noWorkflows = OBJECTS_FIXTURE.map((o): ObjectDescription =>
      o.key === 'note' ? { ...o, capabilities: { ...o.capabilities, workflows: false } } : o,
    );
    expect([...catalogsOf(noWorkflows).keys()]).toEqual([
      'contact',
      'company',
      'activity',
      'lead',
      'deal',
      'ticket',
      'project',
    ]);
    expect(catalogsOf(OBJECTS_FIXTURE).get('project')).toMatchObject({
      label: 'Project',
      noun: 'project',
      linked: [],
      required: ['Name'],
    });
    expect(catalogsOf(OBJECTS_FIXTURE).get('deal')?.linked).toEqual(['contact', 'company', 'lead']);
  });

  it("links what an object's relation fields point at among the workflow objects, from GET /objects", () => {
    const project = OBJECTS_FIXTURE.find((o) => o.key === 'project');
    if (!project) throw new Error('no project in the fixture');
    const withRelations = [
      ...OBJECTS_FIXTURE.filter((o) => o.key !== 'project'),
      {
        ...project,
        fields: [
          ...project.fields,
          field({ key: 'client', kind: 'relation', relation: 'company' }),
          field({ key: 'parent', kind: 'relation', relation: 'project' }),
          field({ key: 'team', kind: 'relation', relation: 'team' }),
          field({ key: 'deals', kind: 'relation', relation: 'deal', multiple: true }),
          field({ key: 'buyer', kind: 'relation', relation: 'contact', custom: true }),
        ],
      },
    ];
    // Only the single links a run loads: not itself, no team, no many, no customFields value.
    expect(catalogsOf(withRelations).get('project')?.linked).toEqual(['company']);
  });

  it("maps a description's fields: kinds, choices, read-only ones, custom fields as custom.key", () => {
    const deal = OBJECTS_FIXTURE.find((o) => o.key === 'deal');
    if (!deal) throw new Error('no deal in the fixture');
    const catalog = catalogsOf([
      {
        ...deal,
        fields: [
          ...deal.fields,
          field({ key: 'seats', label: 'Seats', kind: 'number', custom: true }),
          field({ key: 'tier', label: 'Tier', kind: 'enum', values: ['gold'], custom: true }),
          field({ key: 'partners', kind: 'relation', relation: 'company', multiple: true }),
        ],
      },
    ]);
    const fields = fieldsOf(catalog, 'deal');
    expect(fields[0]).toEqual({ key: 'name', label: 'Name', kind: 'text', writable: true });
    expect(fields.find((f) => f.key === 'amount')?.kind).toBe('number');
    expect(fields.find((f) => f.key === 'status')).toEqual({
      key: 'status',
      label: 'Status',
      kind: 'enum',
      choices: ['open', 'won', 'lost'],
      writable: false,
    });
    expect(fields.slice(-3)).toEqual([
      { key: 'custom.seats', label: 'Seats', kind: 'number', writable: true },
      { key: 'custom.tier', label: 'Tier', kind: 'enum', writable: true, choices: ['gold'] },
      { key: 'partners', label: 'partners', kind: 'tags', writable: true },
    ]);
    // JSON values and bookkeeping are nothing a condition compares or a step writes.
    expect(fields.map((f) => f.key)).not.toEqual(
      expect.arrayContaining(['id', 'version', 'deletedAt', 'lineItems']),
    );
  });

  it("keeps a custom object's own fields top-level and answers for what it does not know", () => {
    const catalogs = catalogsOf(OBJECTS_FIXTURE);
    expect(fieldsOf(catalogs, 'project').map((f) => f.key)).toEqual([
      'name',
      'ownerId',
      'budget',
      'createdAt',
      'updatedAt',
    ]);
    const contact = fieldsOf(catalogs, 'contact');
    expect(contact.find((f) => f.key === 'leadScore')).toMatchObject({
      kind: 'number',
      writable: false,
    });
    expect(kindOf(contact, 'status')).toBe('enum');
    expect(kindOf(contact, 'custom.gone')).toBe('text');
    expect(labelOf(contact, 'lastContactedAt')).toBe('Last contacted at');
    expect(labelOf(contact, 'custom.gone')).toBe('custom.gone');
    expect(fieldsOf(catalogs, 'gone')).toEqual([]);
    expect(fieldsOf(catalogs, null)).toEqual([]);
    expect(objectOptions(catalogs, 'gone').at(-1)).toEqual({
      key: 'gone',
      label: 'gone (not available)',
    });
    expect(objectOptions(catalogs, 'project')).toHaveLength(catalogs.size);
  });
});
