import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { paths } from '../../api/schema';
import { can, useMe } from '../../api/session';
import type { ObjectDescription } from '../../api/types';
import { useObjects } from '../../api/use-objects';
import { Badge, Button, Card, EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { cn } from '../../lib/cn';
import { showApiError } from '../../lib/form-errors';
import { CustomFieldDialog, hasCustomFields, type Definition } from './custom-field-dialog';
import { CustomFieldList } from './custom-field-list';
import { CustomObjectDialog } from './custom-object-dialog';
import { PersonalNameToggle, RenameObject } from './rename-object';

type UpdateBody = NonNullable<
  paths['/api/v1/custom-fields/{id}']['patch']['requestBody']
>['content']['application/json'];

/** The fields the object itself declares: shown for reference, changed only in code. */
function StandardFields({ object }: { object: ObjectDescription }) {
  const fields = object.fields.filter((f) => !f.custom && !f.definitionId);
  return (
    <details className="rounded-lg border border-line bg-panel">
      <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-ink">
        Standard fields ({fields.length})
      </summary>
      <ul className="grid gap-x-6 gap-y-1 px-4 pb-3 text-sm sm:grid-cols-2">
        {fields.map((f) => (
          <li key={f.key} className="flex items-center justify-between gap-2 py-0.5">
            <span className="text-ink">{f.label}</span>
            <span className="text-xs text-ink-soft">
              {f.kind}
              {f.required ? ' · required' : ''}
              {f.editable ? '' : ' · read-only'}
              {object.personalData?.fields.includes(f.key) ? ' · personal data' : ''}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The custom fields of one object: add, edit, reorder, archive and bring back. */
function CustomFields({
  object,
  objects,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Definition | null | 'new'>(null);
  const [order, setOrder] = useState<Definition[] | null>(null);
  const list = useQuery({
    queryKey: keys.customFields(object.key),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/custom-fields', {
          params: { query: { objectType: object.key, limit: 200 } },
        }),
      ),
  });
  const all: Definition[] = [...(list.data?.data ?? [])].sort((a, b) => a.position - b.position);
  const active = order ?? all.filter((d) => !d.archived);
  const archived = all.filter((d) => d.archived);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.customFields(object.key) });
    void queryClient.invalidateQueries({ queryKey: keys.objects });
  };
  const patch = (id: string, body: UpdateBody) =>
    unwrap(http.PATCH('/api/v1/custom-fields/{id}', { params: { path: { id } }, body }));
  const reorder = useMutation({
    // Only the rows whose place changed are written, one PATCH each.
    mutationFn: (next: Definition[]) =>
      Promise.all(next.flatMap((d, i) => (d.position === i ? [] : [patch(d.id, { position: i })]))),
    onMutate: (next) => setOrder(next),
    onError: (e) => showApiError(e),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.customFields(object.key) });
      setOrder(null);
      void queryClient.invalidateQueries({ queryKey: keys.objects });
    },
  });
  const archive = useMutation({
    // The API's `archived` flag: the field leaves forms and lists, its values stay.
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) => patch(id, { archived }),
    onSuccess: (_, v) => {
      toast.success(v.archived ? 'Field archived' : 'Field restored');
      refresh();
    },
    onError: (e) => showApiError(e),
  });
  return (
    <Card className="space-y-3 p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-medium text-ink">Custom fields</h2>
        <Button size="sm" onClick={() => setEditing('new')} data-testid="add-custom-field">
          Add field
        </Button>
      </div>
      {list.isPending ? (
        <Skeleton rows={3} />
      ) : active.length === 0 ? (
        <EmptyState
          title={`No custom fields on ${object.labels.plural.toLowerCase()} yet`}
          body="Add what your team tracks that the standard fields do not: a tier, a renewal date, a region. Fields show on every record page, in the table and in filters."
        />
      ) : (
        <CustomFieldList
          definitions={active}
          busy={reorder.isPending}
          onReorder={(next) => reorder.mutate(next)}
          onEdit={setEditing}
          onArchive={(d) => archive.mutate({ id: d.id, archived: true })}
        />
      )}
      {archived.length ? (
        <div className="space-y-1" data-testid="archived-fields">
          <h3 className="text-xs font-medium uppercase tracking-wide text-ink-soft">Archived</h3>
          <ul className="divide-y divide-line rounded-lg border border-dashed border-line">
            {archived.map((d) => (
              <li key={d.id} className="flex items-center gap-2 px-3 py-2 text-sm">
                <span className="flex-1 text-ink-soft">{d.label}</span>
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => archive.mutate({ id: d.id, archived: false })}
                  data-testid="field-unarchive"
                >
                  Unarchive
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <CustomFieldDialog
        object={object}
        objects={objects}
        definition={editing === 'new' ? null : editing}
        position={all.length}
        open={editing !== null}
        onOpenChange={(o) => !o && setEditing(null)}
      />
    </Card>
  );
}

/** Removes a custom object; the API refuses (409) while it holds records, and says so. */
function DeleteObject({ object, onDeleted }: { object: ObjectDescription; onDeleted: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () =>
      unwrap(http.DELETE('/api/v1/objects/{key}', { params: { path: { key: object.key } } })),
    onSuccess: () => {
      toast.success(`${object.labels.plural} removed`);
      onDeleted();
      void queryClient.invalidateQueries({ queryKey: keys.objects });
    },
    onError: (e) => showApiError(e),
  });
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={remove.isPending}
      data-testid="delete-object"
      onClick={() =>
        window.confirm(`Remove the object ${object.labels.plural}? Only an empty one can go.`) &&
        remove.mutate()
      }
    >
      Remove object
    </Button>
  );
}

/**
 * Settings → Objects and fields: every object, its standard fields, and the custom fields an
 * admin adds, edits, orders and archives.
 */
export default function ObjectsAndFields() {
  const me = useMe().data;
  const objects = useObjects();
  const [params, setParams] = useSearchParams();
  const withFields = (objects.data ?? []).filter(hasCustomFields);
  const current = withFields.find((o) => o.key === params.get('object')) ?? withFields[0];
  const mayEdit = can(me, 'settings:update');
  const [creating, setCreating] = useState(false);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Objects and fields"
        description="The records your organization keeps, and the fields each one has."
        actions={
          mayEdit ? (
            <Button onClick={() => setCreating(true)} data-testid="new-object">
              New object
            </Button>
          ) : null
        }
      />
      {objects.data ? (
        <CustomObjectDialog
          objects={objects.data}
          open={creating}
          onOpenChange={setCreating}
          onCreated={(o) => setParams({ object: o.key })}
        />
      ) : null}
      {!objects.data ? (
        <Skeleton rows={4} />
      ) : (
        <div className="grid items-start gap-4 md:grid-cols-[13rem_minmax(0,1fr)]">
          <nav aria-label="Objects" className="flex flex-col gap-0.5" data-testid="object-list">
            {withFields.map((o) => (
              <button
                key={o.key}
                type="button"
                onClick={() => setParams({ object: o.key })}
                aria-current={o.key === current?.key ? 'true' : undefined}
                data-testid={`object-${o.key}`}
                className={cn(
                  'flex items-center justify-between rounded-md px-3 py-1.5 text-left text-sm',
                  o.key === current?.key
                    ? 'bg-accent-soft font-medium text-accent'
                    : 'text-ink-soft hover:bg-muted hover:text-ink',
                )}
              >
                {o.labels.plural}
                {o.custom ? <Badge>custom</Badge> : null}
              </button>
            ))}
          </nav>
          {current ? (
            <div className="min-w-0 space-y-4" data-testid="object-fields">
              {current.custom ? (
                <div className="flex items-center gap-2 text-sm text-ink-soft">
                  <span className="flex-1">
                    Records at <code className="text-xs">/api/v1/{current.resource}</code>, listed
                    under Objects in the sidebar.
                  </span>
                  {mayEdit ? (
                    <DeleteObject object={current} onDeleted={() => setParams({})} />
                  ) : null}
                </div>
              ) : null}
              {current.custom && mayEdit ? (
                <>
                  <RenameObject key={current.key} object={current} />
                  <PersonalNameToggle object={current} />
                </>
              ) : null}
              <StandardFields object={current} />
              {mayEdit && hasCustomFields(current) ? (
                <CustomFields key={current.key} object={current} objects={objects.data} />
              ) : null}
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
