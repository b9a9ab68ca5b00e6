import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Table } from '@tanstack/react-table';
import { DropdownMenu } from 'radix-ui';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ObjectRecord } from '../../api/records';
import type { paths } from '../../api/schema';
import type { SavedView } from '../../api/types';
import { Button, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { listStateParams, parseConditions, type ListState } from './list-query';

type ViewObject = NonNullable<
  paths['/api/v1/views']['post']['requestBody']
>['content']['application/json']['objectType'];

/** The objects saved views are kept for (the API's list); others offer no "Save view". */
const VIEW_OBJECTS: readonly ViewObject[] = [
  'contact',
  'company',
  'activity',
  'lead',
  'deal',
  'ticket',
];
const isViewObject = (key: string): key is ViewObject => VIEW_OBJECTS.includes(key);

/** Saved views of one object: choosing one applies its filters, sort and columns. */
export function SavedViews({
  objectKey,
  plural,
  state,
  table,
  onApply,
}: {
  objectKey: string;
  plural: string;
  state: ListState;
  table: Table<ObjectRecord>;
  onApply: (state: ListState, columns: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const views = useQuery({
    queryKey: keys.views(objectKey),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/views', { params: { query: { objectType: objectKey, limit: 200 } } }),
      ),
    enabled: isViewObject(objectKey),
  });
  const save = useMutation({
    mutationFn: (name: string) => {
      if (!isViewObject(objectKey)) throw new Error('Views cannot be saved for this object yet');
      const { q, sort, group: _group, ...filters } = listStateParams(state);
      return unwrap(
        http.POST('/api/v1/views', {
          body: {
            objectType: objectKey,
            name,
            filters: { ...filters, ...(q ? { q } : {}) },
            sort: sort ?? null,
            columns: table.getVisibleLeafColumns().map((c) => c.id),
          },
        }),
      );
    },
    onSuccess: () => {
      toast.success('View saved');
      void queryClient.invalidateQueries({ queryKey: keys.views(objectKey) });
    },
    onError: (e) => showApiError(e),
  });
  const apply = (view: SavedView | undefined) =>
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
  if (!isViewObject(objectKey)) return null;
  return (
    <>
      <Select
        aria-label="Saved view"
        className="w-48"
        defaultValue=""
        data-testid="saved-view"
        onChange={(e) => apply(views.data?.data.find((v) => v.id === e.target.value))}
      >
        <option value="">All {plural.toLowerCase()}</option>
        {views.data?.data.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </Select>
      <Button
        variant="ghost"
        size="sm"
        data-testid="save-view"
        onClick={() => {
          const name = window.prompt('Name this view');
          if (name) save.mutate(name);
        }}
      >
        Save view
      </Button>
    </>
  );
}

/** Shows or hides the table's columns; the choice is kept per object in this browser. */
export function ColumnChooser({ table }: { table: Table<ObjectRecord> }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" size="sm" data-testid="column-chooser">
          Columns
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          className="z-50 max-h-[60vh] min-w-48 overflow-y-auto rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
        >
          {table
            .getAllLeafColumns()
            .filter((c) => c.getCanHide())
            .map((c) => (
              <DropdownMenu.CheckboxItem
                key={c.id}
                checked={c.getIsVisible()}
                onCheckedChange={(v) => c.toggleVisibility(Boolean(v))}
                onSelect={(e) => e.preventDefault()}
                data-testid={`column-${c.id}`}
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-ink outline-none data-[highlighted]:bg-muted"
              >
                <span className="w-3 text-accent" aria-hidden>
                  {c.getIsVisible() ? '✓' : ''}
                </span>
                {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
              </DropdownMenu.CheckboxItem>
            ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
