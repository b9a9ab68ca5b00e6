import { useState } from 'react';
import type { FieldProblem } from '../../api/client';
import { Card, Textarea } from '../../components/ui';
import { TRIGGER_NODE, type Draft } from './builder-graph';

const PLACEHOLDERS = '{{contact.firstName}}, {{contact.email}}, {{lead.name}}, {{deal.amount}}, {{deal.expectedCloseDate}}, {{record.id}}';

/**
 * Edits the selected node as JSON: the trigger with the entry conditions, or one step's settings.
 * A JSON editor covers every step type the schema has; the server's publish checks name what is wrong.
 */
export function NodePanel({ draft, selected, problems, onChange }: { draft: Draft; selected: string | null; problems: FieldProblem[]; onChange: (d: Draft) => void }) {
  const value = selected === TRIGGER_NODE ? { trigger: draft.trigger, conditions: draft.conditions } : draft.steps.find((s) => s.id === selected);
  // The builder remounts this panel per selected node (key), so the text starts from that node.
  const [text, setText] = useState(() => (value ? JSON.stringify(value, null, 2) : ''));
  const [error, setError] = useState<string | null>(null);
  if (!selected || !value) return <Card className="p-3 text-sm text-ink-soft">Select the trigger or a step to edit it. Delete removes the selected step; Ctrl/Cmd+S saves the draft.</Card>;
  const handleChange = (next: string) => {
    setText(next);
    try {
      const parsed = JSON.parse(next) as Record<string, unknown>;
      setError(null);
      if (selected === TRIGGER_NODE) onChange({ ...draft, ...(parsed as Pick<Draft, 'trigger' | 'conditions'>) });
      else onChange({ ...draft, steps: draft.steps.map((s) => (s.id === selected ? (parsed as typeof s) : s)) });
    } catch {
      setError('Not valid JSON yet');
    }
  };
  return (
    <Card className="space-y-2 p-3">
      <h2 className="text-sm font-medium text-ink">{selected === TRIGGER_NODE ? 'Trigger and entry conditions' : `Step ${selected}`}</h2>
      <Textarea aria-label="Node settings" className="h-64 font-mono text-xs" value={text} onChange={(e) => handleChange(e.target.value)} data-testid="node-json" aria-invalid={Boolean(error)} />
      {error ? <p className="text-xs text-danger">{error}</p> : null}
      {problems.map((p) => <p key={p.path + p.message} className="text-xs text-danger" role="alert">{p.path}: {p.message}</p>)}
      <p className="text-xs text-ink-soft">Placeholders: {PLACEHOLDERS}. Retries: {'"retry": { "maxAttempts": 3 }'}.</p>
    </Card>
  );
}
