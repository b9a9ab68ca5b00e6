import type { Edge, Node } from '@xyflow/react';
import { STEP_LABELS, type Draft, type DraftStep, type StepType } from './definition-types';
import { describeTrigger } from './trigger-words';

/** The node id of the trigger; step ids cannot contain a colon, so it never clashes. */
export const TRIGGER_NODE = 'trigger:start';

/** What a step's node and the node picker say: its name, else its type in words. */
export const nodeLabel = (s: DraftStep): string => s.name ?? STEP_LABELS[s.type];

/** The canvas nodes and edges of a draft; steps without a saved position are stacked below the trigger. */
export function toGraph(
  draft: Draft,
  problems: ReadonlySet<string>,
  selected: string | null,
): { nodes: Node[]; edges: Edge[] } {
  const at = (id: string, i: number) => draft.layout[id] ?? { x: 0, y: 120 * (i + 1) };
  const nodes: Node[] = [
    {
      id: TRIGGER_NODE,
      position: draft.layout[TRIGGER_NODE] ?? { x: 0, y: 0 },
      data: { label: describeTrigger(draft.trigger) },
      type: 'input',
      selected: selected === TRIGGER_NODE,
    },
    ...draft.steps.map((s, i) => ({
      id: s.id,
      position: at(s.id, i),
      selected: selected === s.id,
      data: { label: nodeLabel(s) },
      className: problems.has(s.id) ? '!border-2 !border-red-600' : '',
    })),
  ];
  const edges: Edge[] = [];
  if (draft.start) edges.push({ id: `e-start`, source: TRIGGER_NODE, target: draft.start });
  for (const s of draft.steps) {
    if (s.type === 'branch') {
      if (s.then) edges.push({ id: `e-${s.id}-then`, source: s.id, target: s.then, label: 'then' });
      if (s.else) edges.push({ id: `e-${s.id}-else`, source: s.id, target: s.else, label: 'else' });
    } else if (s.type !== 'stop' && s.next)
      edges.push({ id: `e-${s.id}-next`, source: s.id, target: s.next });
  }
  return { nodes, edges };
}

/** The draft after connecting `source` to `target` (a branch fills `then` first, then `else`). */
export function connect(draft: Draft, source: string, target: string): Draft {
  if (source === TRIGGER_NODE) return { ...draft, start: target };
  return {
    ...draft,
    steps: draft.steps.map((s) => {
      if (s.id !== source || s.type === 'stop') return s;
      if (s.type === 'branch') return s.then ? { ...s, else: target } : { ...s, then: target };
      return { ...s, next: target };
    }),
  };
}

/** The draft without one step; links to it are cut. */
export function removeStep(draft: Draft, id: string): Draft {
  const cut = (v: string | null | undefined) => (v === id ? null : (v ?? null));
  const { [id]: _removed, ...layout } = draft.layout;
  return {
    ...draft,
    layout,
    start: cut(draft.start),
    steps: draft.steps
      .filter((s) => s.id !== id)
      .map((s) => {
        if (s.type === 'stop') return s;
        if (s.type === 'branch') return { ...s, then: cut(s.then), else: cut(s.else) };
        return { ...s, next: cut(s.next) };
      }),
  };
}

/** A new step of a type, its settings filled with a sensible start (valid where the schema insists). */
export function newStep(type: StepType, id: string): DraftStep {
  switch (type) {
    case 'create_task':
      return { id, type, subject: 'Follow up', assignTo: 'owner', next: null };
    case 'send_email':
      return {
        id,
        type,
        to: 'contact',
        subject: 'Hello {{contact.firstName}}',
        body: 'Hi {{contact.firstName}},',
        next: null,
      };
    case 'notify':
      return { id, type, userId: 'owner', title: 'Heads up', next: null };
    case 'add_tag':
    case 'remove_tag':
      return { id, type, tag: 'vip', next: null };
    case 'wait':
      return { id, type, duration: { amount: 1, unit: 'days' }, next: null };
    case 'branch':
      return { id, type, condition: { match: 'all', rules: [] }, then: null, else: null };
    case 'update_record':
      return { id, type, values: {}, next: null };
    case 'create_record':
      return { id, type, object: 'contact', values: {}, next: null };
    case 'assign_owner':
      return { id, type, strategy: 'user', next: null };
    case 'call_webhook':
      return { id, type, url: 'https://example.com/hooks/cerebro', next: null };
    case 'stop':
      return { id, type };
  }
}
