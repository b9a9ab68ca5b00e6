import { z } from 'zod';
import type { FieldSpec } from './fields.js';

/**
 * The fields every record of a built-in object has, for its field list (`defineFields`): its id
 * first, its custom fields' bag, and its version and timestamps last, as the API has always
 * ordered them.
 */

/** The record's id, a UUIDv7 the server picks. */
export const RECORD_ID_FIELD = { kind: 'text', output: z.uuid() } as const satisfies FieldSpec;

/**
 * The organization's custom fields under one key: at most 200, keys as long as a column name.
 * `GET /api/v1/objects` describes them one by one, per organization, so not as one field here.
 */
export const CUSTOM_FIELDS_FIELD = {
  kind: 'json',
  output: z.record(z.string(), z.unknown()),
  input: z
    .record(z.string().max(63), z.unknown())
    .refine((o) => Object.keys(o).length <= 200, 'at most 200 custom fields'),
  described: false,
} as const satisfies FieldSpec;

/** The version `If-Match` compares, and when the record was made, last changed and deleted. */
export const RECORD_STAMP_FIELDS = {
  version: { kind: 'number' },
  createdAt: { kind: 'datetime', list: { column: 'created_at', notNull: true } },
  updatedAt: { kind: 'datetime', list: { column: 'updated_at', notNull: true } },
  deletedAt: { kind: 'datetime', nullable: true },
} as const satisfies Record<string, FieldSpec>;
