import { sql, type RawBuilder } from 'kysely';
import { isoTimestampSql } from '../../platform/db/index.js';

/**
 * `presentContact` in SQL, key for key in the same order: the contacts list sends it unparsed.
 * `name` folds empty names away as `[first, last].filter(Boolean).join(' ') || email` does.
 */
export const CONTACT_JSON: RawBuilder<unknown> = sql`json_build_object(
  'id', id, 'firstName', first_name, 'lastName', last_name,
  'name', coalesce(nullif(concat_ws(' ', nullif(first_name, ''), nullif(last_name, '')), ''), nullif(email, ''), '(no name)'),
  'email', email, 'emails', emails, 'phone', phone, 'phones', phones, 'title', title,
  'companyId', company_id, 'ownerId', owner_id, 'status', status, 'source', source, 'tags', tags,
  'address', address, 'socialProfiles', social_profiles, 'emailConsent', email_consent,
  'leadScore', lead_score, 'lastContactedAt', ${isoTimestampSql('last_contacted_at')},
  'customFields', custom_fields, 'version', version,
  'createdAt', ${isoTimestampSql('created_at')}, 'updatedAt', ${isoTimestampSql('updated_at')},
  'deletedAt', ${isoTimestampSql('deleted_at')})`;
