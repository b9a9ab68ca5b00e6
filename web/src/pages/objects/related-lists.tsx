import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { keys } from '../../api/keys';
import { listRecords } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { Card, Skeleton } from '../../components/ui';
import { titleOf } from '../record-links';
import { filterKey, titleSort, visibleFields } from './field-specs';

const SHOWN = 20;

/** A relation of another object to this one: the object, and the field that points here. */
export interface Relation {
  source: ObjectDescription;
  field: ObjectField;
}

/**
 * Every filterable relation field of every object that points at `object` (its subsidiaries
 * included). Activities are left out: the record's timeline shows them.
 */
export function relationsTo(
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
): Relation[] {
  return objects
    .filter((o) => o.key !== 'activity')
    .flatMap((source) =>
      source.fields
        .filter((f) => f.kind === 'relation' && f.relation === object.key && f.filterable)
        .map((field) => ({ source, field })),
    );
}

/** A second line for a related record: its first short, filled-in field after the title. */
function detailOf(record: Record<string, unknown>, source: ObjectDescription): string {
  return visibleFields(source)
    .filter(
      (f) =>
        ['text', 'email', 'enum'].includes(f.kind) &&
        f.key !== source.titleField &&
        !['firstName', 'lastName', 'currency'].includes(f.key),
    )
    .map((f) => record[f.key])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .slice(0, 2)
    .join(' · ');
}

/** The records of one object that point at this record through one field. */
function RelatedList({
  relation,
  object,
  recordId,
  label,
}: {
  relation: Relation;
  object: ObjectDescription;
  recordId: string;
  label: string;
}) {
  const { source, field } = relation;
  const sort = titleSort(source);
  const list = useQuery({
    queryKey: keys.records(source.resource).related(field.key, recordId),
    queryFn: () =>
      listRecords(source.resource, {
        [`filter[${filterKey(field)}]`]: recordId,
        limit: String(SHOWN),
        count: 'true',
        ...(sort ? { sort } : {}),
      }),
  });
  const total = list.data?.meta.total ?? 0;
  const rows = list.data?.data ?? [];
  // An empty relation takes one line: a new record would otherwise open on a wall of empty cards.
  if (list.data && rows.length === 0)
    return (
      <p
        className="rounded-lg border border-dashed border-line px-4 py-2 text-sm text-ink-soft"
        data-testid={`related-${source.key}-${field.key}-empty`}
      >
        <span className="font-medium text-ink">{label}</span>: none yet. Open a{' '}
        {source.labels.singular.toLowerCase()} and choose this{' '}
        {object.labels.singular.toLowerCase()} under {field.label}.
      </p>
    );
  return (
    <Card className="p-4">
      <h2 className="mb-2 text-sm font-medium text-ink">
        {label}
        {list.data ? ` (${total})` : ''}
      </h2>
      {list.isPending ? (
        <Skeleton rows={2} />
      ) : (
        <ul
          className="divide-y divide-line text-sm"
          data-testid={`related-${source.key}-${field.key}`}
        >
          {rows.map((r) => (
            <li key={r.id} className="flex flex-wrap items-baseline gap-x-3 py-1.5">
              <Link
                to={`/${source.resource}/${r.id}`}
                className="font-medium text-ink hover:text-accent"
              >
                {titleOf(r, source.titleField)}
              </Link>
              <span className="min-w-0 flex-1 truncate text-ink-soft">{detailOf(r, source)}</span>
            </li>
          ))}
          {total > rows.length ? (
            <li className="py-1.5 text-xs">
              <Link
                className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
                to={`/${source.resource}?${new URLSearchParams({ [`filter[${filterKey(field)}]`]: recordId }).toString()}`}
              >
                See all {total} {source.labels.plural.toLowerCase()}
              </Link>
            </li>
          ) : null}
        </ul>
      )}
    </Card>
  );
}

/** The related lists of a record page, one per relation that points at its object. */
export function RelatedLists({
  object,
  objects,
  recordId,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  recordId: string;
}) {
  const relations = relationsTo(object, objects);
  const perSource = (key: string) => relations.filter((r) => r.source.key === key).length;
  return (
    <>
      {relations.map((r) => (
        <RelatedList
          key={`${r.source.key}.${r.field.key}`}
          relation={r}
          object={object}
          recordId={recordId}
          // Two fields of one object pointing here (a company's parent and a lead's company) need their names.
          label={
            perSource(r.source.key) > 1 || r.source.key === object.key
              ? `${r.source.labels.plural} (${r.field.label.toLowerCase()})`
              : r.source.labels.plural
          }
        />
      ))}
    </>
  );
}
