import { X } from 'lucide-react';
import { useEffect, useMemo, useRef } from 'react';
import type { FieldProblem } from '../../api/client';
import { Button, Card } from '../../components/ui';
import { nodeLabel, TRIGGER_NODE } from './builder-graph';
import { STEP_LABELS, type Draft, type DraftStep } from './definition-types';
import { placeholderGroups } from './forms/placeholders';
import {
  definitionPath,
  stepFieldOf,
  stepProblemPath,
  triggerFieldOf,
  triggerProblemPath,
} from './forms/problem-paths';
import { StepForm } from './forms/step-form';
import { stepToForm } from './forms/step-model';
import { TriggerForm } from './forms/trigger-form';
import { triggerObjectOf } from './forms/trigger-model';
import { useFieldCatalogs } from './forms/use-field-catalogs';
import { describeTrigger } from './trigger-words';

/** Problems no form field shows (links, reachability): listed at the top of the panel instead. */
function unplaced(
  draft: Draft,
  step: DraftStep | undefined,
  problems: readonly FieldProblem[],
): FieldProblem[] {
  if (!step) return problems.filter((p) => triggerFieldOf(p.path) === null);
  const rows = stepToForm(step).values;
  return problems.filter(
    (p) => stepFieldOf(definitionPath(p.path).replace(/^steps\.\d+\.?/, ''), rows) === null,
  );
}

/**
 * The side panel of the selected node: the trigger's form (with the entry conditions) or one
 * step's form. Opening it moves focus into it; Escape (handled by the builder) or the close button
 * closes it. The builder remounts it per node, so each form starts from that node.
 */
export function NodePanel({
  draft,
  selected,
  problems,
  onDraft,
  onClose,
  onFormProblems,
}: {
  draft: Draft;
  selected: string | null;
  /** The problems of the selected node (from the publish check or the server). */
  problems: FieldProblem[];
  onDraft: (update: (d: Draft) => Draft) => void;
  onClose: () => void;
  /** What the open form refuses right now, paths as in the definition: Publish lists these too. */
  onFormProblems: (problems: FieldProblem[]) => void;
}) {
  const catalogs = useFieldCatalogs();
  const heading = useRef<HTMLHeadingElement>(null);
  const step = draft.steps.find((s) => s.id === selected);
  const triggerObject = triggerObjectOf(draft.trigger);
  const groups = useMemo(
    () => placeholderGroups(draft.trigger.type, triggerObject, catalogs ?? new Map()),
    [draft.trigger.type, triggerObject, catalogs],
  );
  useEffect(() => {
    if (selected && !heading.current?.closest('section')?.contains(document.activeElement))
      heading.current?.focus();
  }, [selected]);

  if (!selected || (selected !== TRIGGER_NODE && !step)) {
    return (
      <Card className="space-y-1 p-3 text-sm text-ink-soft">
        <p>
          Select the trigger or a step to edit it: click it, or Tab to it on the canvas and press
          Enter, or pick it from &ldquo;Edit&rdquo; above.
        </p>
        <p>
          Escape closes the panel · Delete removes the selected step · Ctrl/Cmd+S saves the draft.
        </p>
      </Card>
    );
  }
  const title = step ? STEP_LABELS[step.type] : 'Trigger';
  const subtitle = step
    ? `${step.name ? `${nodeLabel(step)} · ` : ''}step ${step.id}`
    : describeTrigger(draft.trigger);
  const other = unplaced(draft, step, problems);
  return (
    <Card className="space-y-3 p-3">
      <section aria-labelledby="node-panel-title" data-testid="node-panel" className="space-y-3">
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <h2
              id="node-panel-title"
              ref={heading}
              tabIndex={-1}
              className="text-sm font-semibold text-ink outline-none"
            >
              {title}
            </h2>
            <p className="truncate text-xs text-ink-soft">{subtitle}</p>
          </div>
          <Button
            variant="ghost"
            size="sm"
            aria-label="Close panel (Escape)"
            onClick={onClose}
            data-testid="node-panel-close"
          >
            <X size={14} aria-hidden />
          </Button>
        </div>
        {other.length ? (
          <ul
            className="space-y-1 rounded-md border border-danger/40 bg-danger/5 p-2 text-xs text-danger"
            role="alert"
          >
            {other.map((p) => (
              <li key={p.path + p.message}>{p.message}</li>
            ))}
          </ul>
        ) : null}
        {!catalogs ? (
          <p className="text-sm text-ink-soft" role="status" data-testid="node-panel-loading">
            Loading record types…
          </p>
        ) : step ? (
          <StepForm
            step={step}
            ctx={{ catalogs, triggerObject }}
            groups={groups}
            problems={problems}
            onFormErrors={(errors) =>
              onFormProblems(
                errors.map((e) => ({
                  path: stepProblemPath(draft.steps.indexOf(step), e.path),
                  message: e.message,
                })),
              )
            }
            onStep={(update) =>
              onDraft((d) => ({
                ...d,
                steps: d.steps.map((s) => (s.id === step.id ? update(s) : s)),
              }))
            }
          />
        ) : (
          <TriggerForm
            trigger={draft.trigger}
            conditions={draft.conditions}
            catalogs={catalogs}
            problems={problems}
            onFormErrors={(errors) =>
              onFormProblems(
                errors.map((e) => ({ path: triggerProblemPath(e.path), message: e.message })),
              )
            }
            onChange={(next) => onDraft((d) => ({ ...d, ...next }))}
          />
        )}
      </section>
    </Card>
  );
}
