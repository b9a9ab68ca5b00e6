import '@xyflow/react/dist/style.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Background, Controls, ReactFlow, type Connection, type Node, type OnNodeDrag } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { api, ApiError, type FieldProblem } from '../../api/client';
import type { Workflow } from '../../api/types';
import { Button, Card, PageHeader, Select, Skeleton } from '../../components/ui';
import { connect, newStep, removeStep, STEP_TYPES, toGraph, TRIGGER_NODE, type Draft } from './builder-graph';
import { NodePanel } from './node-panel';
import { TestRunPanel } from './test-run-panel';

/** The step id a publish problem names (`draft.steps.2.next` → the third step's id). */
const stepOfProblem = (draft: Draft, p: FieldProblem): string | null => {
  const m = /steps\.(\d+)/.exec(p.path);
  return m ? (draft.steps[Number(m[1])]?.id ?? null) : /trigger|conditions|start/.test(p.path) ? TRIGGER_NODE : null;
};

/** The visual builder of one workflow: canvas, side panel, save, publish, enable and test run. */
export default function WorkflowBuilder() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['workflows', id], queryFn: () => api<Workflow>('GET', `/workflows/${id}`) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [addType, setAddType] = useState<string>('create_task');
  const w = query.data;
  useEffect(() => { if (w && !draft) setDraft(w.draft); }, [w, draft]);
  const problemSteps = useMemo(() => new Set(draft ? problems.map((p) => stepOfProblem(draft, p)).filter((s): s is string => s !== null) : []), [draft, problems]);
  const graph = useMemo(() => (draft ? toGraph(draft, problemSteps, selected) : { nodes: [], edges: [] }), [draft, problemSteps, selected]);

  const save = useCallback(async (): Promise<Workflow | null> => {
    if (!w || !draft) return null;
    try {
      const updated = await api<Workflow>('PATCH', `/workflows/${w.id}`, { draft }, { headers: { 'If-Match': String(w.version) } });
      queryClient.setQueryData(['workflows', id], updated);
      toast.success('Draft saved');
      return updated;
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.details);
      toast.error(e instanceof Error ? e.message : 'Could not save');
      return null;
    }
  }, [w, draft, id, queryClient]);
  const publish = async () => {
    const saved = await save();
    if (!saved) return;
    try {
      const published = await api<Workflow>('POST', `/workflows/${saved.id}/publish`);
      queryClient.setQueryData(['workflows', id], published);
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
      const updated = await api<Workflow>('PATCH', `/workflows/${w.id}`, { enabled: !w.enabled }, { headers: { 'If-Match': String(w.version) } });
      queryClient.setQueryData(['workflows', id], updated);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'Could not change the workflow');
    }
  };
  const handleAdd = () => {
    if (!draft) return;
    const stepId = `s${Date.now().toString(36)}`;
    const after = selected ?? (draft.steps.at(-1)?.id ?? TRIGGER_NODE);
    const pos = draft.layout[after] ?? { x: 0, y: 0 };
    const withStep = { ...draft, steps: [...draft.steps, newStep(addType, stepId)], layout: { ...draft.layout, [stepId]: { x: pos.x, y: pos.y + 120 } } };
    setDraft(connect(withStep, after, stepId));
    setSelected(stepId);
  };
  const handleDelete = useCallback(() => {
    if (draft && selected && selected !== TRIGGER_NODE) { setDraft(removeStep(draft, selected)); setSelected(null); }
  }, [draft, selected]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); void save(); }
      const typing = e.target instanceof HTMLElement && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName);
      if (e.key === 'Delete' && !typing) handleDelete();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, handleDelete]);
  const handleDrag: OnNodeDrag<Node> = (_e, node) => setDraft((d) => (d ? { ...d, layout: { ...d.layout, [node.id]: node.position } } : d));
  const handleConnect = (c: Connection) => setDraft((d) => (d && c.target ? connect(d, c.source, c.target) : d));

  if (!w || !draft) return <Skeleton rows={6} />;
  return (
    <div className="mx-auto max-w-7xl space-y-3">
      <PageHeader title={w.name} description={`${w.publishedVersion === null ? 'Unpublished' : `Version ${w.publishedVersion}`}${w.hasUnpublishedChanges ? ' · unpublished changes' : ''} · ${w.enabled ? 'enabled' : 'disabled'}`}
        actions={<>
          <Link to={`/workflows/${w.id}/runs`} className="self-center text-sm text-accent" data-testid="runs-link">Runs</Link>
          <Button variant="secondary" onClick={() => void save()} data-testid="save-draft">Save draft</Button>
          <Button onClick={() => void publish()} data-testid="publish">Publish</Button>
          <Button variant="secondary" disabled={w.publishedVersion === null} onClick={() => void toggle()} data-testid="toggle-enabled">{w.enabled ? 'Disable' : 'Enable'}</Button>
        </>} />
      {problems.length ? (
        <Card className="border-danger p-3" ><ul className="list-disc pl-5 text-sm text-danger" data-testid="publish-problems">{problems.map((p) => <li key={`${p.path}${p.message}`}><code>{p.path}</code>: {p.message}</li>)}</ul></Card>
      ) : null}
      {w.inboundUrl ? (
        <Card className="space-y-1 p-3 text-sm"><p>Inbound URL: <code className="break-all">{w.inboundUrl}</code> <Button size="sm" variant="ghost" onClick={() => void navigator.clipboard.writeText(w.inboundUrl ?? '')}>Copy</Button></p>
          <p>Signing secret: <code>{w.signingSecret}</code> <Button size="sm" variant="ghost" onClick={() => void navigator.clipboard.writeText(w.signingSecret)}>Copy</Button></p></Card>
      ) : null}
      <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="h-[36rem] rounded-lg border border-line bg-panel" data-testid="canvas">
          <ReactFlow nodes={graph.nodes} edges={graph.edges} onNodeClick={(_e, n) => setSelected(n.id)} onPaneClick={() => setSelected(null)}
            onNodeDragStop={handleDrag} onConnect={handleConnect} deleteKeyCode={null} fitView colorMode="system">
            <Background /><Controls />
          </ReactFlow>
        </div>
        <div className="space-y-3">
          <Card className="flex gap-2 p-3">
            <Select aria-label="Step type" value={addType} onChange={(e) => setAddType(e.target.value)} data-testid="add-step-type">{STEP_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}</Select>
            <Button onClick={handleAdd} data-testid="add-step">Add step</Button>
            <Button variant="danger" disabled={!selected || selected === TRIGGER_NODE} onClick={handleDelete}>Delete</Button>
          </Card>
          <NodePanel key={selected ?? 'none'} draft={draft} selected={selected} problems={problems.filter((p) => selected !== null && stepOfProblem(draft, p) === selected)} onChange={setDraft} />
          <TestRunPanel workflowId={w.id} />
        </div>
      </div>
    </div>
  );
}
