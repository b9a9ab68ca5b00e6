import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import { useObjects } from '../../api/use-objects';
import type { Pipeline } from '../../api/types';
import { Badge, Button, EmptyState, Input, PageHeader, Skeleton } from '../../components/ui';
import { cn } from '../../lib/cn';
import { PipelineEditor } from './pipeline-editor';
import { requiredFieldOptions } from './stage-draft';

/**
 * Settings → Pipelines: every pipeline with its default marked; create, make default and delete
 * here, and edit the chosen one's name and stages below (`?pipeline=<id>`, else the default).
 */
export default function Pipelines() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [newName, setNewName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const list = useQuery({
    queryKey: keys.pipelines,
    queryFn: () => unwrap(http.GET('/api/v1/pipelines', { params: { query: { limit: 200 } } })),
  });
  const deals = useObjects().data?.find((o) => o.resource === 'deals');
  const options = requiredFieldOptions(deals?.fields ?? []);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.pipelines });
  const choose = (id: string) => setParams({ pipeline: id }, { replace: true });
  const fail = (e: unknown) => setProblem(e instanceof Error ? e.message : 'Something went wrong');

  const create = useMutation({
    mutationFn: () => unwrap(http.POST('/api/v1/pipelines', { body: { name: newName.trim() } })),
    onSuccess: async (created) => {
      setNewName('');
      setProblem(null);
      await refresh();
      choose(created.id);
      toast.success(`${created.name} created with the standard stages`);
    },
    onError: fail,
  });
  const makeDefault = useMutation({
    mutationFn: (p: Pipeline) =>
      unwrap(
        http.PATCH('/api/v1/pipelines/{id}', {
          params: { path: { id: p.id } },
          headers: ifMatch(p.version),
          body: { isDefault: true },
        }),
      ),
    onSuccess: async () => (setProblem(null), await refresh()),
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (p: Pipeline) =>
      unwrap(http.DELETE('/api/v1/pipelines/{id}', { params: { path: { id: p.id } } })),
    onSuccess: async (_, p) => {
      setProblem(null);
      if (params.get('pipeline') === p.id) setParams({}, { replace: true });
      await refresh();
      toast.success(`${p.name} deleted`);
    },
    // The API says why (deals still in it, or it is the default): keep that on the page.
    onError: (e, p) => fail(new Error(`${p.name} was not deleted: ${e.message}`)),
  });

  if (list.isPending) return <Skeleton />;
  if (list.isError)
    return (
      <EmptyState
        title="Could not load pipelines"
        body={list.error.message}
        action={
          <Button variant="secondary" onClick={() => void list.refetch()}>
            Try again
          </Button>
        }
      />
    );
  const pipelines = list.data.data;
  const chosen =
    pipelines.find((p) => p.id === params.get('pipeline')) ??
    pipelines.find((p) => p.isDefault) ??
    pipelines[0];
  const canEdit = can(me, 'pipelines:update');

  return (
    <div className="space-y-5">
      <PageHeader
        title="Pipelines"
        description="The stages deals move through, their win probability, when an idle deal starts to rot, and what a deal needs before it may enter a stage."
      />
      {can(me, 'pipelines:create') ? (
        <form
          className="flex max-w-md gap-2"
          onSubmit={(e) => (e.preventDefault(), create.mutate())}
        >
          <Input
            aria-label="New pipeline name"
            placeholder="New pipeline name"
            data-testid="new-pipeline-name"
            maxLength={80}
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
          />
          <Button
            type="submit"
            className="shrink-0"
            disabled={!newName.trim() || create.isPending}
            data-testid="create-pipeline"
          >
            Create pipeline
          </Button>
        </form>
      ) : null}
      {problem ? (
        <p
          role="alert"
          data-testid="pipelines-problem"
          className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          {problem}
        </p>
      ) : null}
      {pipelines.length === 0 ? (
        <EmptyState
          title="No pipelines yet"
          body="A pipeline is the path a deal takes from first contact to won or lost. Create one above; it starts with a standard set of stages you can change."
        />
      ) : (
        <ul
          className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-panel"
          aria-label="Pipelines"
        >
          {pipelines.map((p) => (
            <li
              key={p.id}
              data-testid="pipeline-row"
              data-pipeline={p.name}
              className={cn(
                'flex flex-wrap items-center gap-2 px-3 py-2 text-sm',
                p.id === chosen?.id && 'bg-accent-soft/50',
              )}
            >
              <span className="min-w-0 flex-1">
                <span className="font-medium text-ink">{p.name}</span>{' '}
                <span className="text-xs text-ink-soft">{p.stages.length} stages</span>{' '}
                {p.isDefault ? <Badge tone="accent">Default</Badge> : null}
              </span>
              <Button
                size="sm"
                variant={p.id === chosen?.id ? 'primary' : 'secondary'}
                aria-current={p.id === chosen?.id ? 'true' : undefined}
                aria-label={`Edit ${p.name}`}
                onClick={() => choose(p.id)}
                data-testid="pipeline-edit"
              >
                {canEdit ? 'Edit' : 'View'}
              </Button>
              {canEdit && !p.isDefault ? (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Make ${p.name} the default`}
                  onClick={() => makeDefault.mutate(p)}
                  data-testid="pipeline-make-default"
                >
                  Make default
                </Button>
              ) : null}
              {can(me, 'pipelines:delete') && !p.isDefault ? (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Delete ${p.name}`}
                  data-testid="pipeline-delete"
                  onClick={() =>
                    window.confirm(
                      `Delete the pipeline ${p.name}? Only one without deals can go.`,
                    ) && remove.mutate(p)
                  }
                >
                  Delete
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {chosen ? (
        <PipelineEditor key={chosen.id} pipeline={chosen} canEdit={canEdit} options={options} />
      ) : null}
    </div>
  );
}
