import type { FieldMap } from '../../platform/listing/index.js';
import { LEAD_STATUSES } from './schema.js';

/** The fields a lead list filters and sorts on (custom fields are added per organization). */
export const LEAD_FIELDS: FieldMap = {
  firstName: { column: 'first_name', type: 'text' },
  lastName: { column: 'last_name', type: 'text' },
  email: { column: 'email', type: 'text' },
  phone: { column: 'phone', type: 'text' },
  companyName: { column: 'company_name', type: 'text' },
  title: { column: 'title', type: 'text' },
  country: { column: 'country', type: 'text' },
  companySize: { column: 'company_size', type: 'text' },
  source: { column: 'source', type: 'text' },
  status: { column: 'status', type: 'enum', values: LEAD_STATUSES, notNull: true },
  tags: { column: 'tags', type: 'tags', sortable: false },
  ownerId: { column: 'owner_id', type: 'uuid' },
  teamId: { column: 'team_id', type: 'uuid' },
  formId: { column: 'form_id', type: 'uuid' },
  score: { column: 'score', type: 'number' },
  convertedAt: { column: 'converted_at', type: 'datetime' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};
