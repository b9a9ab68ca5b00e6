import { z } from 'zod';
import { currencyCode } from '../../platform/http/index.js';
import { CUSTOM_FIELD_TYPES, objectKey } from './custom-field-types.js';
import { NAMED_LINKS, type NamedLinkField } from './activity-links.js';
import { text } from './field-types.js';

/** List query parameters; filters (`filter[field][op]`) and `sort` are read from the raw query. */
export const listQuery = z
  .object({
    limit: z.string().optional(),
    cursor: z.string().optional(),
    count: z.string().optional(),
    sort: z.string().optional(),
    q: z.string().optional(),
    trashed: z.enum(['true', 'false']).optional(),
  })
  .catchall(z.union([z.string(), z.array(z.string())]))
  .describe(
    'limit (1–200), cursor, count=true, trashed=true (deleted records that can still be restored), sort=-createdAt,lastName, q=text, filter[field]=v, filter[field][op]=v (eq ne gt gte lt lte in contains isNull), filter[custom.key]=v',
  );

/** An export's query: the list's filters, search and sort, the file format and its columns. */
export const exportQuery = listQuery.extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  columns: z
    .string()
    .max(4000)
    .optional()
    .describe(
      'Comma-separated field keys to write, in order (id always comes first); all by default',
    ),
});

/**
 * The activities list: the generic list parameters plus `assignee`, whose meaning depends on who
 * asks (`me`, or everyone in `team`s the caller belongs to) — what a Tasks page toggles between
 * without knowing user ids, which roles without `users:read` cannot list.
 */
export const activityListQuery = listQuery.extend({
  assignee: z
    .enum(['me', 'team'])
    .optional()
    .describe(
      "me: assigned to the caller; team: assigned to the caller or a member of the caller's teams",
    ),
});

const customFieldOptions = z
  .object({
    choices: z.array(text(100).min(1)).max(200).optional(),
    objectType: objectKey.optional(),
    /** Relations: a list of ids (many-to-many) rather than one. */
    multiple: z.boolean().optional(),
    currency: currencyCode.optional(),
  })
  .strict()
  .nullable();

export const customFieldCreateBody = z
  .object({
    objectType: objectKey,
    key: z
      .string()
      .regex(
        /^[a-z][a-zA-Z0-9_]{0,62}$/,
        'must start with a lower-case letter and hold only letters, digits and _',
      ),
    label: text(100).min(1),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: customFieldOptions.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    personal: z
      .boolean()
      .optional()
      .describe("Personal data: a custom object's GDPR export and erasure cover it"),
  })
  .strict();

export const customFieldUpdateBody = z
  .object({
    label: text(100).min(1).optional(),
    options: customFieldOptions.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    archived: z
      .boolean()
      .optional()
      .describe('An archived field keeps its values but leaves forms, lists and validation'),
    personal: z
      .boolean()
      .optional()
      .describe("Personal data: a custom object's GDPR export and erasure cover it"),
  })
  .strict();

export const customFieldSchema = z
  .object({
    id: z.uuid(),
    objectType: z.string(),
    key: z.string(),
    label: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.unknown(),
    required: z.boolean(),
    position: z.number(),
    archived: z.boolean(),
    personal: z.boolean(),
  })
  .meta({ id: 'CustomField' });

const isoDate = z.iso.datetime({ offset: true });
/** One field per link the API names (`contactId` … `ticketId`, API.md), each an id or null. */
const namedLinkFields = Object.fromEntries(
  Object.keys(NAMED_LINKS).map((field) => [field, z.uuid().nullable()]),
) as Record<NamedLinkField, z.ZodNullable<z.ZodUUID>>;
/** A link of an activity to a record of any object with a timeline (an admin's `project` too). */
const recordLink = z.object({ objectType: objectKey, recordId: z.uuid() }).strict().meta({
  id: 'RecordLink',
  description: 'A record an activity links to: its object key and id',
});
const activityLinks = z
  .array(recordLink)
  .max(50)
  .meta({
    description:
      'Every record the activity links to, of any object with a timeline. On update it replaces ' +
      'all links; a named field (contactId …) sent with it sets the link of its type.',
  });
const activityFields = {
  subject: text(300).min(1, 'is required'),
  body: z.string().max(50_000).nullable(),
  status: z.enum(['open', 'done', 'canceled']),
  dueAt: isoDate.nullable(),
  doneAt: isoDate.nullable(),
  remindAt: isoDate.nullable(),
  assigneeId: z.uuid().nullable(),
  ...namedLinkFields,
  links: activityLinks,
};
const ACTIVITY_TYPE = z.enum(['call', 'email', 'meeting', 'note', 'task']);

export const activityCreateBody = z
  .object({ type: ACTIVITY_TYPE, subject: activityFields.subject })
  .extend(z.object(activityFields).omit({ subject: true }).partial().shape)
  .strict();
export const activityUpdateBody = z
  .object({ type: ACTIVITY_TYPE, ...activityFields })
  .partial()
  .strict();

export const activitySchema = z
  .object({
    id: z.uuid(),
    type: ACTIVITY_TYPE,
    subject: z.string(),
    body: z.string().nullable(),
    status: z.enum(['open', 'done', 'canceled']),
    dueAt: z.string().nullable(),
    doneAt: z.string().nullable(),
    remindAt: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    ...namedLinkFields,
    links: z.array(recordLink),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Activity' });

export const timelineEntrySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['activity', 'change']),
    occurredAt: z.string(),
    actorId: z.uuid().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });

/** Who sees a saved view: its owner, one team, or the whole organization. */
const viewVisibility = z.enum(['private', 'team', 'everyone']);

export const viewBody = z
  .object({
    objectType: objectKey,
    name: text(100).min(1, 'is required'),
    filters: z
      .record(
        z
          .string()
          .regex(
            /^(filter\[[\w.]+\](\[\w+\])?|q)$/,
            'must be a list parameter like filter[status]',
          ),
        z.string().max(500),
      )
      .optional(),
    sort: z.string().max(200).nullable().optional(),
    columns: z.array(z.string().max(100)).max(100).optional(),
    visibility: viewVisibility
      .optional()
      .describe('private (yours), team (teamId) or everyone; private by default'),
    teamId: z.uuid().nullable().optional().describe('The team a team view is shared with'),
    shared: z
      .boolean()
      .optional()
      .describe('Older spelling: true = visibility everyone, false = private'),
  })
  .strict();
export const viewUpdateBody = viewBody.omit({ objectType: true }).partial().strict();
export const viewSchema = z
  .object({
    id: z.uuid(),
    objectType: z.string(),
    name: z.string(),
    filters: z.record(z.string(), z.string()),
    sort: z.string().nullable(),
    columns: z.array(z.string()),
    visibility: viewVisibility,
    teamId: z.uuid().nullable(),
    shared: z.boolean().describe('visibility is everyone (kept for older clients)'),
    ownerId: z.uuid(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SavedView' });
