import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Table } from '@tanstack/react-table';
import { ChevronDown, Pencil, Trash2 } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ObjectRecord } from '../../api/records';
import { can, useMe } from '../../api/session';
import type { Me, SavedView } from '../../api/types';
import { Button, Dialog } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { listStateParams, parseConditions, type ListState } from './list-query';
import { SaveViewDialog, VisibilityIcon, type ViewSharing } from './save-view-dialog';

const ITEM =
  'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-ink outline-none data-[highlighted]:bg-muted';

/** Mirrors the server's rule (records/view-access.ts) so the menu offers only what will work. */
function mayChange(me: Me | null | undefined, view: SavedView, permission: string): boolean {
  if (!me) return false;
  if (view.ownerId === me.user.id || can(me, 'settings:update')) return true;
  return (
    view.visibility === 'team' &&
    me.teams.some((t) => t.id === view.teamId) &&
    can(me, `${permission}:update`)
  );
}

/**
 * Saved views of one object: choosing one applies its filters, sort and columns; "Save view" keeps
 * the current ones under a name, shared with the user alone, a team or everyone.
 */
export function SavedViews({
  objectKey,
  permission,
  plural,
  state,
  table,
  onApply,
}: {
  objectKey: string;
  /** The permission resource of the object (who may share team views of it). */
  permission: string;
  plural: string;
  state: ListState;
  table: Table<ObjectRecord>;
  onApply: (state: ListState, columns: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const [current, setCurrent] = useState<SavedView | null>(null);
  const [dialog, setDialog] = useState<'save' | 'edit' | 'delete' | null>(null);
  const views = useQuery({
    queryKey: keys.views(objectKey),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/views', { params: { query: { objectType: objectKey, limit: 200 } } }),
      ),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.views(objectKey) });
  const save = useMutation({
    mutationFn: (sharing: ViewSharing) => {
      const { q, sort, group: _group, ...filters } = listStateParams(state);
      return unwrap(
        http.POST('/api/v1/views', {
          body: {
            objectType: objectKey,
            ...sharing,
            filters: { ...filters, ...(q ? { q } : {}) },
            sort: sort ?? null,
            columns: table.getVisibleLeafColumns().map((c) => c.id),
          },
        }),
      );
    },
    onSuccess: (view) => {
      toast.success('View saved');
      setCurrent(view);
      setDialog(null);
      refresh();
    },
    onError: (e) => showApiError(e),
  });
  const edit = useMutation({
    mutationFn: ({ id, sharing }: { id: string; sharing: ViewSharing }) =>
      unwrap(http.PATCH('/api/v1/views/{id}', { params: { path: { id } }, body: sharing })),
    onSuccess: (view) => {
      toast.success('View updated');
      setCurrent(view);
      setDialog(null);
      refresh();
    },
    onError: (e) => showApiError(e),
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.DELETE('/api/v1/views/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      toast.success('View deleted');
      setCurrent(null);
      setDialog(null);
      refresh();
    },
    onError: (e) => showApiError(e),
  });

  const apply = (view: SavedView | null) => {
    setCurrent(view);
    onApply(
      view
        ? {
            q: view.filters.q ?? '',
            sort: view.sort ?? '',
            conditions: parseConditions(Object.entries(view.filters)),
            group: state.group,
          }
        : { q: '', sort: '', conditions: [], group: state.group },
      view?.columns ?? [],
    );
  };
  const changeable = current && mayChange(me, current, permission) ? current : null;

  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button
            variant="ghost"
            size="sm"
            data-testid="saved-view"
            aria-label={`Saved view: ${current?.name ?? `All ${plural.toLowerCase()}`}`}
          >
            {current ? <VisibilityIcon visibility={current.visibility} /> : null}
            <span className="max-w-40 truncate">
              {current?.name ?? `All ${plural.toLowerCase()}`}
            </span>
            <ChevronDown className="size-3.5" aria-hidden />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="start"
            className="z-50 max-h-[60vh] min-w-56 overflow-y-auto rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
          >
            <DropdownMenu.Item className={ITEM} onSelect={() => apply(null)}>
              All {plural.toLowerCase()}
            </DropdownMenu.Item>
            {views.data?.data.map((v) => (
              <DropdownMenu.Item
                key={v.id}
                className={ITEM}
                onSelect={() => apply(v)}
                data-testid={`view-${v.name}`}
              >
                <span className="flex-1 truncate">{v.name}</span>
                <VisibilityIcon visibility={v.visibility} />
              </DropdownMenu.Item>
            ))}
            {views.data?.data.length === 0 ? (
              <p className="px-2 py-1.5 text-xs text-ink-soft">
                No saved views yet: filter the list, then “Save view”.
              </p>
            ) : null}
            {changeable ? (
              <>
                <DropdownMenu.Separator className="my-1 h-px bg-line" />
                <DropdownMenu.Item
                  className={ITEM}
                  onSelect={() => setDialog('edit')}
                  data-testid="edit-view"
                >
                  <Pencil className="size-3.5" aria-hidden /> Edit view…
                </DropdownMenu.Item>
                <DropdownMenu.Item
                  className={`${ITEM} text-danger`}
                  onSelect={() => setDialog('delete')}
                  data-testid="delete-view"
                >
                  <Trash2 className="size-3.5" aria-hidden /> Delete view…
                </DropdownMenu.Item>
              </>
            ) : null}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <Button variant="ghost" size="sm" data-testid="save-view" onClick={() => setDialog('save')}>
        Save view
      </Button>
      <SaveViewDialog
        open={dialog === 'save' || dialog === 'edit'}
        onOpenChange={(open) => setDialog(open ? dialog : null)}
        view={dialog === 'edit' ? (changeable ?? undefined) : undefined}
        permission={permission}
        pending={save.isPending || edit.isPending}
        onSubmit={(sharing) =>
          dialog === 'edit' && changeable
            ? edit.mutate({ id: changeable.id, sharing })
            : save.mutate(sharing)
        }
      />
      <Dialog
        open={dialog === 'delete'}
        onOpenChange={(open) => setDialog(open ? 'delete' : null)}
        title="Delete view"
        description={
          changeable?.visibility === 'private'
            ? `“${changeable.name}” will be gone for good.`
            : `“${changeable?.name ?? ''}” will be gone for everyone it is shared with.`
        }
      >
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setDialog(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={remove.isPending}
            onClick={() => changeable && remove.mutate(changeable.id)}
            data-testid="delete-view-confirm"
          >
            Delete view
          </Button>
        </div>
      </Dialog>
    </>
  );
}
