import { sql } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import { activityIdsOfRecords, recordTimeline, type TimelinePage } from '../records/index.js';
import { loadCompany } from './companies.js';
import { loadContact } from './contacts.js';

/** A contact's activities and changes, newest first (404 when the actor may not read it). */
export const contactTimeline = (ctx: Ctx, id: string, page: TimelinePage) =>
  recordTimeline(ctx, { objectType: 'contact', recordId: id }, page, {
    check: (tx) => loadContact(ctx, tx, id),
  });

/** A company's activities and its contacts', and the company's changes, newest first. */
export const companyTimeline = (ctx: Ctx, id: string, page: TimelinePage) =>
  recordTimeline(ctx, { objectType: 'company', recordId: id }, page, {
    check: (tx) => loadCompany(ctx, tx, id),
    alsoLinked: activityIdsOfRecords(
      ctx.organizationId,
      'contact',
      sql`(select id from contacts where organization_id = ${ctx.organizationId} and company_id = ${id})`,
    ),
  });
