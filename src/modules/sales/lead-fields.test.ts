import { describe, expect, it } from 'vitest';
import { describeFields } from '../../platform/objects/index.js';
import { fieldLine } from '../../../test/field-lines.js';
import {
  CAPTURED_LEAD_FIELDS,
  capturedLeadSchema,
  leadBody,
  leadCreateBody,
  leadSchema,
} from './lead-fields.js';
import { SALES_OBJECTS } from './objects.js';

describe('the lead field list', () => {
  const lead = SALES_OBJECTS.find((o) => o.key === 'lead');
  if (!lead?.described) throw new Error('leads declare their fields with defineFields');
  const { described, ...fromSchemas } = lead;

  it('describes what the schemas it yields would be worked out to say', () => {
    expect(describeFields(lead)).toEqual(described);
    expect(describeFields(fromSchemas)).toEqual(described);
  });

  it('describes the fields GET /api/v1/objects has always answered for leads', () => {
    expect(described.map(fieldLine)).toEqual([
      'id text Id',
      'name text Name',
      'firstName text efs 100 First name',
      'lastName text efs 100 Last name',
      'email email efs 254 Email',
      'phone phone efs 40 Phone',
      'companyName text efs 200 Company name',
      'title text efs 200 Title',
      'country text efs 60 Country',
      'companySize text efs 40 Company size',
      'notes long_text e 10000 Notes',
      'source text efs 100 Source',
      'status enum efs new|working|qualified|disqualified Status',
      'disqualificationReason text e 500 Disqualification reason',
      'ownerId relation efs user Owner',
      'teamId relation efs team Team',
      'score number fs Score',
      'tags tags ef Tags',
      'formId relation fs form Web form',
      'convertedAt datetime fs Converted at',
      'convertedContactId relation contact Converted to contact',
      'convertedCompanyId relation company Converted to company',
      'convertedDealId relation deal Converted to deal',
      'version number Version',
      'createdAt datetime fs Created at',
      'updatedAt datetime fs Updated at',
      'deletedAt datetime Deleted at',
    ]);
    expect(lead.relations).toEqual({
      ownerId: 'user',
      teamId: 'team',
      formId: 'form',
      convertedContactId: 'contact',
      convertedCompanyId: 'company',
      convertedDealId: 'deal',
    });
  });

  it('filters on every status, converted included, though a body cannot set it', () => {
    expect(lead.listFields.status).toEqual({
      column: 'status',
      type: 'enum',
      values: ['new', 'working', 'qualified', 'disqualified', 'converted'],
      notNull: true,
    });
    expect(leadBody.safeParse({ status: 'converted' }).success).toBe(false);
    expect(leadSchema.shape.status.parse('converted')).toBe('converted');
  });

  it('keeps the cross-field rules of its bodies', () => {
    const create = leadCreateBody.safeParse({ source: 'fair' });
    expect(create.error?.issues.map((i) => i.path.join('.'))).toEqual(['firstName']);
    const unreasoned = leadCreateBody.safeParse({ lastName: 'Ng', status: 'disqualified' });
    expect(unreasoned.error?.issues[0]?.path).toEqual(['disqualificationReason']);
    expect(leadCreateBody.parse({ email: 'a@b.co', phone: '+1 415 555 0100' })).toEqual({
      email: 'a@b.co',
      phone: '+14155550100',
    });
    // On update a stored reason satisfies a disqualification; clearing it at the same time does not.
    expect(leadBody.safeParse({ status: 'disqualified' }).success).toBe(true);
    expect(
      leadBody.safeParse({ status: 'disqualified', disqualificationReason: null }).success,
    ).toBe(false);
  });

  it('lets a web form fill the captured person and company, and nothing else', () => {
    expect(CAPTURED_LEAD_FIELDS).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'companyName',
      'title',
      'country',
      'companySize',
      'notes',
    ]);
    expect(capturedLeadSchema.safeParse({ firstName: 'Ada' }).success).toBe(true);
    expect(capturedLeadSchema.safeParse({ firstName: 'Ada', status: 'new' }).success).toBe(false);
  });
});
