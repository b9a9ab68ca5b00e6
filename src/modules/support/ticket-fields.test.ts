import { describe, expect, it } from 'vitest';
import { describeFields } from '../../platform/objects/index.js';
import { fieldLine } from '../../../test/field-lines.js';
import { SUPPORT_OBJECTS } from './objects.js';

describe('the ticket field list', () => {
  const [ticket] = SUPPORT_OBJECTS;
  if (!ticket?.described) throw new Error('tickets declare their fields with defineFields');
  const { described, ...fromSchemas } = ticket;

  it('describes what the schemas it yields would be worked out to say', () => {
    expect(describeFields(ticket)).toEqual(described);
    expect(describeFields(fromSchemas)).toEqual(described);
  });

  it('describes the fields GET /api/v1/objects has always answered for tickets', () => {
    expect(described.map(fieldLine)).toEqual([
      'id text Id',
      'number number fs Number',
      'subject text refs 300 Subject',
      'description long_text e 50000 Description',
      'status enum efs new|open|pending|on_hold|solved|closed Status',
      'priority enum efs low|normal|high|urgent Priority',
      'channel enum ef web|email|phone|api|chat Channel',
      'contactId relation efs contact Contact',
      'companyId relation efs company Company',
      'ownerId relation efs user Assignee',
      'teamId relation efs team Team',
      'tags tags ef Tags',
      'solvedAt datetime fs Solved at',
      'closedAt datetime fs Closed at',
      'firstResponseAt datetime fs First response at',
      'version number Version',
      'createdAt datetime fs Created at',
      'updatedAt datetime fs Updated at',
      'deletedAt datetime Deleted at',
    ]);
    expect(ticket.relations).toEqual({
      contactId: 'contact',
      companyId: 'company',
      ownerId: 'user',
      teamId: 'team',
    });
  });
});
