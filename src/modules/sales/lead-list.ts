import type { Ctx } from '../../platform/context/index.js';
import { authorize } from '../../platform/authz/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import { listRecords } from '../records/index.js';
import type { LeadRow } from './lead-access.js';
import { leadSearchSql } from './lead-search.js';
import { presentLead, type Lead } from './leads.js';
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

const PERMISSION = 'leads:read';

/**
 * A page of leads the actor may read, with API.md's filters, sort, search and cursor: owned within
 * the actor's scope, or (with team scope) waiting unassigned in one of their teams' queues.
 */
export async function listLeads(
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<{ data: Lead[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, PERMISSION);
  return ctx.tx(async (tx) => {
    const page = await listRecords<LeadRow>(
      ctx,
      tx,
      {
        table: 'leads',
        objectType: 'lead',
        permission: PERMISSION,
        mergeable: false,
        teamColumn: 'team_id',
        fields: LEAD_FIELDS,
        search: leadSearchSql,
      },
      rawQuery,
    );
    return {
      data: page.rows.map(presentLead),
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}
