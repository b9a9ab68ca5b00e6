import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import {
  describeFields,
  type FieldKind,
  type ObjectDefinition,
} from '../../platform/objects/index.js';
import { loadCustomFields, type CustomFieldType } from '../records/index.js';
import type { FeatureKind, FeatureSpec, SourceRecord } from './ml/index.js';

// Records reach Insights only through their object's declared list (the owning module's service,
// with its permissions and scope) — never by reading another module's tables.

/** Records fetched per list call while walking an object's records. */
const PAGE_SIZE = 200;

/** How a standard field's kind is learned from; kinds absent here (ids, text bodies, links) are left out. */
const STANDARD_KINDS: Partial<Record<FieldKind, FeatureKind>> = {
  text: 'categorical',
  enum: 'categorical',
  number: 'numeric',
  money: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'date',
  tags: 'tags',
};

const CUSTOM_KINDS: Partial<Record<CustomFieldType, FeatureKind>> = {
  text: 'categorical',
  select: 'categorical',
  multi_select: 'tags',
  number: 'numeric',
  currency: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'date',
};

/** An object's records as Insights reads them: its definition and its list. */
export interface RecordSource {
  def: ObjectDefinition;
  list: NonNullable<NonNullable<ObjectDefinition['lifecycle']>['list']>;
}

/** The object by key from the registry, or 404 when it has no list to learn from. */
export function recordSourceOf(ctx: Ctx, objectType: string): RecordSource {
  const def = ctx.deps.modules.objects.get(objectType);
  const list = def?.lifecycle?.list;
  if (!def || !list) throw errors.notFound('Object');
  return { def, list };
}

/**
 * Every standard field a model may learn from (editable ones only: ids, versions and computed
 * values such as conversion dates would leak the outcome) and every custom field as
 * `custom.<key>`, each marked excluded when the prediction says so.
 */
export async function featuresOf(
  ctx: Ctx,
  source: RecordSource,
  excluded: readonly string[],
): Promise<FeatureSpec[]> {
  const standard = describeFields(source.def).flatMap((f): FeatureSpec[] => {
    const kind = STANDARD_KINDS[f.kind];
    return kind && f.editable && !f.custom && f.relation === undefined
      ? [{ name: f.key, kind }]
      : [];
  });
  const custom = source.def.capabilities.customFields
    ? await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, source.def.key))
    : [];
  const customSpecs = custom.flatMap((c): FeatureSpec[] => {
    const kind = CUSTOM_KINDS[c.type];
    return kind ? [{ name: `custom.${c.key}`, kind }] : [];
  });
  return [...standard, ...customSpecs].map((f) =>
    excluded.includes(f.name) ? { ...f, excluded: true } : f,
  );
}

/** A record of the API shape with its custom fields lifted to `custom.<key>` properties. */
export function flattenRecord(record: Readonly<Record<string, unknown>>): SourceRecord {
  const custom = record.customFields;
  const out: Record<string, unknown> = { ...record };
  delete out.customFields;
  if (custom && typeof custom === 'object' && !Array.isArray(custom))
    for (const [key, value] of Object.entries(custom)) out[`custom.${key}`] = value;
  return out;
}

/** Walks every record of the object, page by page, through its list. */
export async function* recordsOf(ctx: Ctx, source: RecordSource): AsyncGenerator<SourceRecord> {
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<RecordSource['list']>> = await source.list(ctx, {
      limit: String(PAGE_SIZE),
      ...(cursor ? { cursor } : {}),
    });
    for (const record of page.data)
      if (record && typeof record === 'object')
        yield flattenRecord(record as Record<string, unknown>);
    cursor = page.meta.nextCursor;
  } while (cursor);
}
