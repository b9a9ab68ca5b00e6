import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { ApiError, type FieldProblem } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Pipeline } from '../../api/types';
import { Badge, Button, Card, Field, Input } from '../../components/ui';
import {
  draftProblems,
  draftsOf,
  hasStageChanges,
  newStageDraft,
  problemsOf,
  stagesBody,
  type StageDraft,
  type StageProblems,
} from './stage-draft';
import { StageList } from './stage-list';

/** The API's limits on a pipeline's stages (pipelineUpdateBody). */
const MAX_STAGES = 30;

/**
 * One pipeline's name and stages, edited locally and saved in one PATCH (If-Match: its version).
 * Cancel goes back to what is saved; the API's problems show next to the stage and field they name.
 */
export function PipelineEditor({
  pipeline,
  canEdit,
  options,
}: {
  pipeline: Pipeline;
  canEdit: boolean;
  options: ReadonlyArray<{ value: string; label: string }>;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(pipeline.name);
  const [drafts, setDrafts] = useState<StageDraft[]>(() => draftsOf(pipeline));
  const [problems, setProblems] = useState<Record<string, StageProblems>>({});
  const [general, setGeneral] = useState<FieldProblem[]>([]);
  const added = useRef(0);
  const reset = () => {
    setName(pipeline.name);
    setDrafts(draftsOf(pipeline));
    setProblems({});
    setGeneral([]);
  };
  // A saved (or refetched) version is the new starting point.
  useEffect(reset, [pipeline.id, pipeline.version]);
  const dirty = name.trim() !== pipeline.name || hasStageChanges(drafts, pipeline);

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        http.PATCH('/api/v1/pipelines/{id}', {
          params: { path: { id: pipeline.id } },
          headers: ifMatch(pipeline.version),
          body: { name: name.trim(), stages: stagesBody(drafts) },
        }),
      ),
    onSuccess: (saved) => {
      toast.success(`${saved.name} saved`);
      void queryClient.invalidateQueries({ queryKey: keys.pipelines });
      void queryClient.invalidateQueries({ queryKey: keys.allBoards });
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return toast.error('Saving failed; try again');
      if (e.status === 412) {
        setGeneral([
          {
            path: '',
            message:
              'Someone else changed this pipeline meanwhile. Cancel to load their version, then redo your change.',
          },
        ]);
        void queryClient.invalidateQueries({ queryKey: keys.pipelines });
        return;
      }
      const sorted = problemsOf(e.details, drafts);
      setProblems(sorted.byStage);
      // A stage that still holds deals is gone from the drafts: name it from the saved pipeline.
      const inUse = pipeline.stages.find((s) => s.id === e.info.stageId);
      const message = inUse ? `${e.message} (${inUse.name})` : e.message;
      setGeneral(
        sorted.general.length
          ? sorted.general
          : Object.keys(sorted.byStage).length
            ? []
            : [{ path: '', message }],
      );
    },
  });
  const handleSave = () => {
    const local = draftProblems(drafts);
    setProblems(local);
    setGeneral(name.trim() ? [] : [{ path: 'name', message: 'Give the pipeline a name' }]);
    if (Object.keys(local).length === 0 && name.trim()) save.mutate();
  };
  const handleAdd = () => {
    added.current += 1;
    // New stages go before the closed ones, where open stages belong.
    const closedAt = drafts.findIndex((d) => d.kind !== 'open');
    const at = closedAt < 0 ? drafts.length : closedAt;
    setDrafts([...drafts.slice(0, at), newStageDraft(`new-${added.current}`), ...drafts.slice(at)]);
  };
  const nameProblem = general.find((g) => g.path === 'name')?.message;
  const listProblems = general.filter((g) => g.path !== 'name');

  return (
    <Card className="space-y-4">
      <form
        className="space-y-4"
        data-testid="pipeline-editor"
        aria-label={`Edit ${pipeline.name}`}
        noValidate
        onSubmit={(e) => (e.preventDefault(), handleSave())}
      >
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="w-full max-w-sm">
            <Field label="Pipeline name" id="pipeline-name" error={nameProblem}>
              <Input
                id="pipeline-name"
                data-testid="pipeline-name"
                value={name}
                maxLength={80}
                disabled={!canEdit}
                aria-invalid={nameProblem ? true : undefined}
                onChange={(e) => setName(e.target.value)}
              />
            </Field>
          </div>
          {dirty ? (
            <span data-testid="pipeline-unsaved">
              <Badge tone="accent">Unsaved changes</Badge>
            </span>
          ) : null}
        </div>
        <StageList
          drafts={drafts}
          canEdit={canEdit}
          problems={problems}
          options={options}
          onChange={setDrafts}
        />
        {listProblems.length ? (
          <div
            role="alert"
            className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
            data-testid="pipeline-problems"
          >
            {listProblems.map((p, i) => (
              <p key={i}>{p.message}</p>
            ))}
          </div>
        ) : null}
        {canEdit ? (
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Button
              variant="secondary"
              onClick={handleAdd}
              disabled={drafts.length >= MAX_STAGES}
              data-testid="stage-add"
            >
              <Plus size={14} aria-hidden /> Add stage
            </Button>
            <div className="flex gap-2">
              <Button
                variant="secondary"
                onClick={reset}
                disabled={!dirty || save.isPending}
                data-testid="pipeline-cancel"
              >
                Cancel
              </Button>
              <Button type="submit" disabled={!dirty || save.isPending} data-testid="pipeline-save">
                {save.isPending ? 'Saving…' : 'Save'}
              </Button>
            </div>
          </div>
        ) : (
          <p className="text-sm text-ink-soft">Your role may look at stages but not change them.</p>
        )}
      </form>
    </Card>
  );
}
