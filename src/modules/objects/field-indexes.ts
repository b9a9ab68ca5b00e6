import { CompiledQuery } from 'kysely';
import type { Tx } from '../../platform/db/index.js';
import { fieldSql, sortSql, type ListField } from '../../platform/listing/index.js';
import { customListField, type CustomFieldDef } from '../records/index.js';

/** A field's list spec as the custom object list reads it: a typed key of `data`. */
export const dataField = (def: Pick<CustomFieldDef, 'key' | 'type' | 'options'>): ListField =>
  customListField(def, 'data');

/** Types whose list expressions can be indexed (a timestamptz cast is not immutable). */
const INDEXABLE = new Set([
  'text',
  'number',
  'currency',
  'boolean',
  'select',
  'url',
  'email',
  'phone',
  'relation',
]);

/**
 * Builds the expression indexes a custom object's list uses for one field: the filter expression
 * and the sort expression (with the id tiebreaker), each partial to the object and its live rows.
 * The expressions are compiled from the same functions the list query uses, so the planner
 * matches them exactly. Runs as the owner: the application role may not create indexes.
 */
export async function ensureFieldIndexes(
  tx: Tx,
  objectId: string,
  field: { key: string; type: string; options?: CustomFieldDef['options'] },
): Promise<void> {
  for (const statement of fieldIndexStatements(tx, objectId, field))
    await tx.executeQuery(CompiledQuery.raw(statement));
}

/** The DDL of those indexes (a built-in object's migration spells the same statements). */
export function fieldIndexStatements(
  tx: Tx,
  objectId: string,
  field: { key: string; type: string; options?: CustomFieldDef['options'] | undefined },
): string[] {
  if (!INDEXABLE.has(field.type) || (field.type === 'relation' && field.options?.multiple))
    return [];
  const spec = dataField({
    key: field.key,
    type: field.type as CustomFieldDef['type'],
    options: field.options ?? null,
  });
  const base = `or_${objectId.replace(/-/g, '').slice(-12)}_${field.key.toLowerCase().slice(0, 36)}`;
  const where = `where object_id = '${objectId}' and deleted_at is null`;
  const filterExpr = compile(tx, fieldSql(spec));
  const sortExpr = compile(tx, sortSql({ field: field.key, spec, desc: false }));
  return [
    `create index if not exists "${base}_f" on object_records (organization_id, (${filterExpr})) ${where}`,
    `create index if not exists "${base}_s" on object_records (organization_id, (${sortExpr}), id) ${where}`,
  ];
}

/** SQL text of an expression built only of identifiers and literals (no parameters). */
function compile(tx: Tx, expr: ReturnType<typeof fieldSql>): string {
  const compiled = expr.compile(tx);
  if (compiled.parameters.length) throw new Error('an index expression must hold no parameters');
  return compiled.sql;
}
