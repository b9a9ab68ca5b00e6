import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { ERASED } from '../../platform/objects/index.js';
import {
  collectRecordTraces,
  eraseRecordTraces,
  type CustomFieldDef,
  type ErasedTraces,
  type RecordTraces,
} from '../records/index.js';
import { CUSTOM_RECORDS, fieldsOf, findCustomObject, type CustomObject } from './custom-objects.js';
import {
  objectRecordLifecycle,
  presentRecord,
  searchTextOf,
  type ObjectRecord,
  type ObjectRecordRow,
} from './object-records.js';
import type { ObjectsTables } from './schema.js';

/**
 * GDPR for the records of an admin's object: the fields the admin marked personal, and the
 * record's name when the object says it is personal, are what a request covers (Art. 15, 17
 * and 20), read and erased as contacts and leads are, with the same trace scrubbing
 * (`personal-traces` in records) so every object's erasure goes as far.
 */

/** One record's personal data: the record, and what is held beside it. */
export type ObjectPersonalData = { exportedAt: string; record: ObjectRecord } & RecordTraces;

/** What erasing a record scrubbed, and when. */
export type ObjectErasure = { erasedAt: string } & ErasedTraces;

/** What a GDPR request works on: the object, its fields, the record, and its personal fields. */
interface Subject {
  object: CustomObject;
  defs: CustomFieldDef[];
  row: ObjectRecordRow;
  personal: CustomFieldDef[];
}

/**
 * The record at `resource`/`id` (trashed ones too: the trash still holds their data) once the
 * actor may `action` it, then its personal fields: 404 for a foreign or hidden record, 403
 * without the right, and only then 409 when the object holds no personal data.
 */
async function subjectOf(
  ctx: Ctx,
  tx: Tx,
  target: { resource: string; id: string },
  action: 'export' | 'delete',
): Promise<Subject> {
  const object = await findCustomObject(tx, ctx.organizationId, { resource: target.resource });
  const defs = await fieldsOf(tx, ctx.organizationId, object);
  const row = await objectRecordLifecycle(object, defs).load(ctx, tx, target.id, {
    includeDeleted: true,
    forUpdate: action === 'delete',
  });
  authorize(ctx, `${CUSTOM_RECORDS}:${action}`, { ownerId: row.owner_id });
  const personal = defs.filter((d) => d.personal);
  if (!personal.length && !object.personalName)
    throw errors.conflict(
      'OBJECT_NO_PERSONAL_DATA',
      `${object.labels.plural} has no field marked as personal data`,
    );
  return { object, defs, row, personal };
}

/** The lower-cased addresses held in a record's personal email fields. */
function emailsOf(row: ObjectRecordRow, personal: readonly CustomFieldDef[]): string[] {
  const found = personal
    .filter((d) => d.type === 'email')
    .map((d) => row.data[d.key])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim().toLowerCase());
  return [...new Set(found)];
}

/** What an erased record is called when its name was personal data (a name is required). */
export const ERASED_NAME = 'Erased record';

/** The words of a record's personal text, which must leave the search vocabulary with it. */
const namesOf = (subject: Subject): string[] => [
  ...(subject.object.personalName ? [subject.row.name] : []),
  ...subject.personal
    .map((d) => subject.row.data[d.key])
    .filter((v): v is string => typeof v === 'string'),
];

/**
 * A record's values with its personal ones blanked. A required text keeps a placeholder, as an
 * erased contact's first name does, so the record still passes its own validation when next edited.
 */
function erasedData(
  data: Readonly<Record<string, unknown>>,
  personal: readonly CustomFieldDef[],
): Record<string, unknown> {
  const kept = { ...data };
  for (const d of personal) {
    if (d.required && (d.type === 'text' || d.type === 'long_text')) kept[d.key] = ERASED;
    else delete kept[d.key];
  }
  return kept;
}

/** Everything held about one record's person, as one JSON document (GDPR Art. 15 and 20). */
export async function objectRecordPersonalData(
  ctx: Ctx,
  resource: string,
  id: string,
): Promise<ObjectPersonalData> {
  return ctx.tx(async (tx) => {
    const { object, defs, row, personal } = await subjectOf(ctx, tx, { resource, id }, 'export');
    const traces = await collectRecordTraces(
      ctx,
      tx,
      { objectType: object.key, recordId: row.id },
      emailsOf(row, personal),
    );
    await ctx.audit(tx, {
      action: `${object.key}.personal_data_exported`,
      targetType: object.key,
      targetId: row.id,
      diff: null,
    });
    return { exportedAt: new Date().toISOString(), record: presentRecord(row, defs), ...traces };
  });
}

/**
 * Erases one record's personal data (GDPR Art. 17) with the rights of deleting it: the record
 * stays with its owner and other fields, so reports still add up, and with its name unless the
 * name is personal (then it reads ERASED_NAME); its personal fields and their traces go, audited
 * as `<key>.erased` with counts only, never the values. Safe to repeat.
 */
export async function eraseObjectRecord(
  ctx: Ctx,
  resource: string,
  id: string,
): Promise<ObjectErasure> {
  return ctx.tx(async (tx) => {
    const subject = await subjectOf(ctx, tx, { resource, id }, 'delete');
    const { object, defs, row, personal } = subject;
    const at = new Date();
    const data = erasedData(row.data, personal);
    const name = object.personalName ? ERASED_NAME : row.name;
    await tx
      .withTables<ObjectsTables>()
      .updateTable('object_records')
      .set({
        name,
        data: JSON.stringify(data),
        search_text: searchTextOf(name, data, defs),
        version: row.version + 1,
        updated_at: at,
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', row.id)
      .execute();
    const erased = await eraseRecordTraces(
      ctx,
      tx,
      { objectType: object.key, recordId: row.id },
      { emails: emailsOf(row, personal), names: namesOf(subject) },
    );
    await ctx.audit(tx, {
      action: `${object.key}.erased`,
      targetType: object.key,
      targetId: row.id,
      diff: { activitiesAnonymized: erased.activities, auditEntriesRedacted: erased.auditEntries },
    });
    await ctx.emit(tx, {
      type: `${object.key}.erased`,
      aggregateType: object.key,
      aggregateId: row.id,
      payload: { id: row.id, object: object.key, resource: object.resource },
    });
    return { erasedAt: at.toISOString(), ...erased };
  });
}
