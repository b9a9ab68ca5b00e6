import { describe, expect, it } from 'vitest';
import { describeFields } from '../../platform/objects/index.js';
import { fieldLine } from '../../../test/field-lines.js';
import { dealBody, dealCreateBody } from './deal-fields.js';
import { SALES_OBJECTS } from './objects.js';

describe('the deal field list', () => {
  const deal = SALES_OBJECTS.find((o) => o.key === 'deal');
  if (!deal?.described) throw new Error('deals declare their fields with defineFields');
  const { described, ...fromSchemas } = deal;

  it('describes what the schemas it yields would be worked out to say', () => {
    expect(describeFields(deal)).toEqual(described);
    expect(describeFields(fromSchemas)).toEqual(described);
  });

  it('describes the fields GET /api/v1/objects has always answered for deals', () => {
    expect(described.map(fieldLine)).toEqual([
      'id text Id',
      'name text refs 200 Name',
      'amount money efs Amount',
      'currency text efs Currency',
      'pipelineId relation efs pipeline Pipeline',
      'stageId relation efs stage Stage',
      'stage json Stage',
      'status enum open|won|lost Status',
      'probability number e Probability',
      'probabilityOverride number Probability override',
      'expectedCloseDate date efs Expected close date',
      'ownerId relation efs user Owner',
      'contactId relation efs contact Contact',
      'companyId relation efs company Company',
      'leadId relation e lead Lead',
      'contacts json e Contacts',
      'lineItems json e Line items',
      'lostReason text e 500 Lost reason',
      'closedAt datetime fs Closed at',
      'stageEnteredAt datetime Stage entered at',
      'rotting boolean Rotting',
      'tags tags ef Tags',
      'version number Version',
      'createdAt datetime fs Created at',
      'updatedAt datetime fs Updated at',
      'deletedAt datetime Deleted at',
    ]);
    expect(deal.relations).toEqual({
      pipelineId: 'pipeline',
      stageId: 'stage',
      ownerId: 'user',
      contactId: 'contact',
      companyId: 'company',
      leadId: 'lead',
    });
    expect(deal.listFields.amount).toEqual({ column: 'amount', type: 'number', notNull: true });
  });

  it('requires a name on create only and takes no computed field', () => {
    expect(dealCreateBody.safeParse({ amount: 100 }).error?.issues[0]?.path).toEqual(['name']);
    expect(dealBody.parse({ amount: 100, currency: ' eur ' })).toEqual({
      amount: 100,
      currency: 'EUR',
    });
    expect(dealBody.safeParse({ status: 'won' }).success).toBe(false);
    expect(dealBody.safeParse({ rotting: true }).success).toBe(false);
  });
});
