import { describe, expect, it } from 'vitest';
import { describeFields } from '../../platform/objects/index.js';
import { fieldLine } from '../../../test/field-lines.js';
import { CONTACTS_OBJECTS } from './objects.js';

describe('the company field list', () => {
  const company = CONTACTS_OBJECTS.find((o) => o.key === 'company');
  if (!company?.described) throw new Error('companies declare their fields with defineFields');
  const { described, ...fromSchemas } = company;

  it('describes what the schemas it yields would be worked out to say', () => {
    expect(describeFields(company)).toEqual(described);
    expect(describeFields(fromSchemas)).toEqual(described);
  });

  it('describes the fields GET /api/v1/objects has always answered for companies', () => {
    expect(described.map(fieldLine)).toEqual([
      'id text Id',
      'name text refs 200 Name',
      'domain text efs 253 Domain',
      'industry text efs 100 Industry',
      'size text efs 40 Size',
      'annualRevenue json efs Annual revenue',
      'website url e 500 Website',
      'phone phone e 40 Phone',
      'address json e Address',
      'ownerId relation efs user Owner',
      'parentId relation efs company Parent company',
      'version number Version',
      'createdAt datetime fs Created at',
      'updatedAt datetime fs Updated at',
      'deletedAt datetime Deleted at',
    ]);
    expect(company.relations).toEqual({ ownerId: 'user', parentId: 'company' });
    expect(company.listFields.annualRevenue).toEqual({ column: 'annual_revenue', type: 'number' });
  });
});
