import '@xyflow/react/dist/style.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Background,
  Controls,
  ReactFlow,
  type Connection,
  type Node,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { ApiError, type FieldProblem } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Workflow } from '../../api/types';
import { Button, Card, PageHeader, Select, Skeleton } from '../../components/ui';
import { connect, nodeLabel, newStep, removeStep, toGraph, TRIGGER_NODE } from './builder-graph';
import { STEP_LABELS, STEP_TYPES, type Draft, type StepType } from './definition-types';
import { useObjects } from '../../api/use-objects';
import { checkDraft } from './forms/problem-paths';
import { NodePanel } from './node-panel';
import { nodeOfProblem, ProblemList } from './problem-list';
import { TestRunPanel } from './test-run-panel';

/** Problems once each, in order (the open form and the draft check often name the same one). */
const uniqueProblems = (list: FieldProblem[]): FieldProblem[] =>
  list.filter((p, i) => list.findIndex((q) => q.path === p.path && q.message === p.message) === i);

/**
 * Gives focus back to a node on the canvas (after the panel closes), so keyboard users stay where
 * they were. xyflow hides nodes for a frame or two while it re-measures them, and a hidden element
 * refuses focus, so this tries again for a few frames.
 */
function focusNode(id: string, frames = 10): void {
  requestAnimationFrame(() => {
    const node = document.querySelector<HTMLElement>(
      `.react-flow__node[data-id="${CSS.escape(id)}"]`,
    );
    node?.focus();
    if (node && document.activeElement !== node && frames > 1) focusNode(id, frames - 1);
  });
}

/** The visual builder of one workflow: canvas, side panel, save, publish, enable and test run. */
export default function WorkflowBuilder() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const objects = useObjects();
  const query = useQuery({
    queryKey: keys.workflows.detail(id),
    queryFn: () => unwrap(http.GET('/api/v1/workflows/{id}', { params: { path: { id } } })),
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  // What the open form refuses now; a half-typed number never reaches the draft, so only it knows.
  const [formProblems, setFormProblems] = useState<FieldProblem[]>([]);
  const [addType, setAddType] = useState<StepType>('create_task');
  const w = query.data;
  useEffect(() => {
    if (w && !draft) setDraft(w.draft);
  }, [w, draft]);
  const problemSteps = useMemo(
    () =>
      new Set(
        draft
          ? problems.map((p) => nodeOfProblem(draft, p)).filter((s): s is string => s !== null)
          : [],
      ),
    [draft, problems],
  );
  const graph = useMemo(
    () => (draft ? toGraph(draft, problemSteps, selected) : { nodes: [], edges: [] }),
    [draft, problemSteps, selected],
  );

  /** The answer of a change is the workflow now: this page shows it, the lists read it again. */
  const stored = useCallback(
    (updated: Workflow) => {
      queryClient.setQueryData(keys.workflows.detail(id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.workflows.lists });
    },
    [id, queryClient],
  );
  const save = useCallback(async (): Promise<Workflow | null> => {
    if (!w || !draft) return null;
    try {
      const updated = await unwrap(
        http.PATCH('/api/v1/workflows/{id}', {
          params: { path: { id: w.id } },
          headers: ifMatch(w.version),
          body: { draft },
        }),
      );
      stored(updated);
      toast.success('Draft saved');
      return updated;
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.details);
      toast.error(e instanceof Error ? e.message : 'Could not save');
      return null;
    }
  }, [w, draft, stored]);
  const publish = async () => {
    // The forms' own checks first: they name the field in words and need no round trip.
    const objectKeys = objects.data?.map((o) => o.key) ?? null;
    const local = draft ? uniqueProblems([...formProblems, ...checkDraft(draft, objectKeys)]) : [];
    if (local.length) {
      setProblems(local);
      toast.error('Fix the marked fields before publishing');
      return;
    }
    const saved = await save();
    if (!saved) return;
    try {
      const published = await unwrap(
        http.POST('/api/v1/workflows/{id}/publish', { params: { path: { id: saved.id } } }),
      );
      stored(published);
      setProblems([]);
      toast.success(`Published version ${published.publishedVersion ?? ''}`);
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.details);
      toast.error(e instanceof Error ? e.message : 'Could not publish');
    }
  };
  const toggle = async () => {
    if (!w) return;
    try {
      const updated = await unwrap(
        http.PATCH('/api/v1/workflows/{id}', {
          params: { path: { id: w.id } },
          headers: ifMatch(w.version),
          body: { enabled: !w.enabled },
        }),
      );
      stored(updated);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'Could not change the workflow');
    }
  };
  const handleAdd = () => {
    if (!draft) return;
    const stepId = `s${Date.now().toString(36)}`;
    const after = selected ?? draft.steps.at(-1)?.id ?? TRIGGER_NODE;
    const pos = draft.layout[after] ?? { x: 0, y: 0 };
    const withStep = {
      ...draft,
      steps: [...draft.steps, newStep(addType, stepId)],
      layout: { ...draft.layout, [stepId]: { x: pos.x, y: pos.y + 120 } },
    };
    setDraft(connect(withStep, after, stepId));
    setSelected(stepId);
  };
  const handleDelete = useCallback(() => {
    if (draft && selected && selected !== TRIGGER_NODE) {
      setDraft(removeStep(draft, selected));
      setSelected(null);
    }
  }, [draft, selected]);
  const handleClose = useCallback(() => {
    if (!selected) return;
    setSelected(null);
    focusNode(selected);
  }, [selected]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 's') {
        e.preventDefault();
        void save();
      }
      const typing =
        e.target instanceof HTMLElement && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName);
      if (e.key === 'Delete' && !typing) handleDelete();
      // A menu or dialog that handled Escape (Radix) marks it handled; then only that closes.
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('[role="dialog"]'))
        handleClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, handleDelete, handleClose]);
  // Enter or Space on a focused node selects it (xyflow reports it as a change), like a click.
  const handleNodesChange = (changes: NodeChange[]) => {
    const picked = changes.find((c) => c.type === 'select' && c.selected);
    if (picked && 'id' in picked) setSelected(picked.id);
  };
  const handleDrag: OnNodeDrag<Node> = (_e, node) =>
    setDraft((d) => (d ? { ...d, layout: { ...d.layout, [node.id]: node.position } } : d));
  const handleConnect = (c: Connection) =>
    setDraft((d) => (d && c.target ? connect(d, c.source, c.target) : d));

  if (!w || !draft) return <Skeleton rows={6} />;
  return (
    <div className="mx-auto max-w-7xl space-y-3">
      <PageHeader
        title={w.name}
        description={`${w.publishedVersion === null ? 'Unpublished' : `Version ${w.publishedVersion}`}${w.hasUnpublishedChanges ? ' · unpublished changes' : ''} · ${w.enabled ? 'enabled' : 'disabled'}`}
        actions={
          <>
            <Link
              to={`/workflows/${w.id}/runs`}
              className="self-center text-sm text-accent"
              data-testid="runs-link"
            >
              Runs
            </Link>
            <Button variant="secondary" onClick={() => void save()} data-testid="save-draft">
              Save draft
            </Button>
            <Button onClick={() => void publish()} data-testid="publish">
              Publish
            </Button>
            <Button
              variant="secondary"
              disabled={w.publishedVersion === null}
              onClick={() => void toggle()}
              data-testid="toggle-enabled"
            >
              {w.enabled ? 'Disable' : 'Enable'}
            </Button>
          </>
        }
      />
      <ProblemList draft={draft} problems={problems} onOpen={setSelected} />
      {w.inboundUrl ? (
        <Card className="space-y-1 p-3 text-sm">
          <p>
            Inbound URL: <code className="break-all">{w.inboundUrl}</code>{' '}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => void navigator.clipboard.writeText(w.inboundUrl ?? '')}
            >
              Copy
            </Button>
          </p>
          <p>
            Signing secret: <code>{w.signingSecret}</code>{' '}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => void navigator.clipboard.writeText(w.signingSecret)}
            >
              Copy
            </Button>
          </p>
        </Card>
      ) : null}
      <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_28rem]">
        <div className="h-[36rem] rounded-lg border border-line bg-panel" data-testid="canvas">
          <ReactFlow
            nodes={graph.nodes}
            edges={graph.edges}
            onNodeClick={(_e, n) => setSelected(n.id)}
            onPaneClick={() => setSelected(null)}
            onNodesChange={handleNodesChange}
            onNodeDragStop={handleDrag}
            onConnect={handleConnect}
            deleteKeyCode={null}
            fitView
            colorMode="system"
          >
            <Background />
            <Controls />
          </ReactFlow>
        </div>
        <div className="space-y-3">
          <Card className="space-y-2 p-3">
            <div className="flex gap-2">
              <Select
                aria-label="Step type"
                value={addType}
                onChange={(e) => setAddType(e.target.value as StepType)}
                data-testid="add-step-type"
              >
                {STEP_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {STEP_LABELS[t]}
                  </option>
                ))}
              </Select>
              <Button onClick={handleAdd} data-testid="add-step" className="shrink-0">
                Add step
              </Button>
              <Button
                variant="danger"
                disabled={!selected || selected === TRIGGER_NODE}
                onClick={handleDelete}
                className="shrink-0"
              >
                Delete
              </Button>
            </div>
            <label className="flex items-center gap-2 text-sm text-ink-soft">
              Edit
              <Select
                value={selected ?? ''}
                onChange={(e) => setSelected(e.target.value || null)}
                data-testid="node-picker"
              >
                <option value="">Nothing selected</option>
                <option value={TRIGGER_NODE}>Trigger</option>
                {draft.steps.map((s) => (
                  <option key={s.id} value={s.id}>
                    {nodeLabel(s)}
                    {s.name ? '' : ` (${s.id})`}
                  </option>
                ))}
              </Select>
            </label>
          </Card>
          <NodePanel
            key={selected ?? 'none'}
            draft={draft}
            selected={selected}
            problems={problems.filter(
              (p) => selected !== null && nodeOfProblem(draft, p) === selected,
            )}
            onDraft={(update) => setDraft((d) => (d ? update(d) : d))}
            onClose={handleClose}
            onFormProblems={setFormProblems}
          />
          <TestRunPanel workflowId={w.id} />
        </div>
      </div>
    </div>
  );
}
