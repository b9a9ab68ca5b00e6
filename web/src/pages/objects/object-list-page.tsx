import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { can, recordPermission, useMe } from '../../api/session';
import type { ObjectDescription } from '../../api/types';
import { Button, Input, PageHeader } from '../../components/ui';
import { useShortcut } from '../../lib/use-shortcut';
import { CreateRecordDialog } from './create-record-dialog';
import { hasImportPage } from './field-specs';
import type { ListExtension } from './list-extension';
import { listStateParams, readListState, type ListState } from './list-query';
import { ObjectTable } from './object-table';

const LINK_BUTTON =
  'inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted';

/** The search box: typing updates the URL a moment after the last key, not on every key. */
function SearchBox({
  value,
  plural,
  onChange,
}: {
  value: string;
  plural: string;
  onChange: (q: string) => void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), 250);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <Input
      type="search"
      className="max-w-xs"
      aria-label={`Search ${plural}`}
      placeholder={`Search ${plural} (typos are fine)`}
      value={text}
      onChange={(e) => setText(e.target.value)}
      data-testid="record-search"
    />
  );
}

/**
 * The list page of any object: its table, search, filters and views, and "New" (also the `n`
 * key) opening the create form. A module adds what is special to it through `extension`.
 */
export function ObjectListPage({
  object,
  objects,
  extension = {},
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  extension?: ListExtension;
}) {
  const me = useMe().data;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const state = readListState(params, extension.params);
  const mayCreate = can(me, recordPermission(object, 'create'));
  const openNew = useCallback(() => setCreating(true), []);
  useShortcut('n', openNew, mayCreate);
  const handleSearch = useCallback(
    (q: string) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (q) next.set('q', q);
          else next.delete('q');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setState = (next: ListState) => setParams(listStateParams(next), { replace: true });
  const plural = object.labels.plural.toLowerCase();
  const newButton = (testId: string) =>
    mayCreate ? (
      <Button onClick={openNew} data-testid={testId} aria-keyshortcuts="n">
        New {object.labels.singular.toLowerCase()}
      </Button>
    ) : null;
  return (
    <div className="mx-auto max-w-7xl space-y-4" data-testid={`${object.key}-list`}>
      <PageHeader
        title={object.labels.plural}
        actions={
          <>
            {extension.actions}
            {object.capabilities.merge ? (
              <Link
                to={`/duplicates?type=${object.resource}`}
                className={LINK_BUTTON}
                data-testid="find-duplicates"
              >
                Duplicates
              </Link>
            ) : null}
            {mayCreate && hasImportPage(object) ? (
              <Link
                to={`/${object.resource}/import`}
                className={LINK_BUTTON}
                data-testid={`import-${object.resource}`}
              >
                Import
              </Link>
            ) : null}
            {newButton('new-record')}
          </>
        }
      />
      <div className="flex flex-wrap items-center gap-2">
        <SearchBox value={state.q} plural={plural} onChange={handleSearch} />
        {extension.toolbar?.(state, setState)}
      </div>
      <ObjectTable
        key={object.key}
        object={object}
        objects={objects}
        state={state}
        onState={setState}
        emptyAction={newButton('new-record-empty')}
        cells={extension.cells}
        defaultColumns={extension.defaultColumns}
        columnSizes={extension.columnSizes}
        summary={extension.summary}
        rowTestId={extension.rowTestId}
      />
      {mayCreate && extension.createDialog ? (
        extension.createDialog({ open: creating, onOpenChange: setCreating })
      ) : mayCreate ? (
        <CreateRecordDialog
          object={object}
          objects={objects}
          open={creating}
          onOpenChange={setCreating}
          onCreated={(r) => void navigate(`/${object.resource}/${r.id}`)}
        />
      ) : null}
    </div>
  );
}
