import { useMemo, useState } from 'react';
import type { FieldProblem } from '../../../api/client';
import { STEP_LABELS, type DraftStep } from '../definition-types';
import type { PlaceholderGroup } from './placeholders';
import { definitionPath, stepFieldOf } from './problem-paths';
import { TextField, type StepFieldsProps } from './step-field-kit';
import { AssignOwnerFields, BranchFields, TagFields, WaitFields } from './step-fields-flow';
import { EmailFields, NotifyFields, TaskFields, WebhookFields } from './step-fields-messages';
import { CreateRecordFields, UpdateRecordFields } from './step-fields-records';
import { stepFromForm, stepToForm, type StepContext } from './step-model';
import { stepFormSchemaFor } from './step-schema';
import { isDirtyAt, messageAt } from './form-messages';
import { useLiveForm } from './use-live-form';

/** The settings of one step type. */
function TypeFields({ kit, type }: { kit: StepFieldsProps; type: DraftStep['type'] }) {
  switch (type) {
    case 'create_record':
      return <CreateRecordFields kit={kit} />;
    case 'update_record':
      return <UpdateRecordFields kit={kit} />;
    case 'create_task':
      return <TaskFields kit={kit} />;
    case 'assign_owner':
      return <AssignOwnerFields kit={kit} />;
    case 'add_tag':
      return <TagFields kit={kit} remove={false} />;
    case 'remove_tag':
      return <TagFields kit={kit} remove />;
    case 'send_email':
      return <EmailFields kit={kit} />;
    case 'notify':
      return <NotifyFields kit={kit} />;
    case 'call_webhook':
      return <WebhookFields kit={kit} />;
    case 'wait':
      return <WaitFields kit={kit} />;
    case 'branch':
      return <BranchFields kit={kit} />;
    case 'stop':
      return (
        <p className="rounded-md bg-muted p-3 text-sm text-ink-soft">
          The run ends here as succeeded. Nothing after this step runs.
        </p>
      );
  }
}

/**
 * The form of one step: the name and retries every step has, then its type's settings. Each
 * change goes to the draft at once (links stay the canvas's); problems show next to their field,
 * the form's own as the user types and the server's from the last save or publish.
 */
export function StepForm({
  step,
  ctx,
  groups,
  problems,
  onStep,
  onFormErrors,
}: {
  step: DraftStep;
  ctx: StepContext;
  groups: readonly PlaceholderGroup[];
  /** The server's (or the publish check's) problems with this step, paths as in the definition. */
  problems: readonly FieldProblem[];
  onStep: (update: (current: DraftStep) => DraftStep) => void;
  /** The form's own current problems, paths as the form names them (`maxAttempts`). */
  onFormErrors: (errors: Array<{ path: string; message: string }>) => void;
}) {
  // The panel is remounted per selected node, so the form starts once from the step as it was then.
  const [initial] = useState(() => stepToForm(step));
  const [schema] = useState(() => stepFormSchemaFor(ctx.triggerObject, [...ctx.catalogs.keys()]));
  const form = useLiveForm(
    schema,
    initial,
    {
      onValues: (values) => onStep((current) => stepFromForm(values, current, ctx)),
      onErrors: onFormErrors,
    },
    problems.length > 0,
  );
  const { errors, dirtyFields } = form.formState;
  const serverErrors = useMemo(() => {
    const out = new Map<string, string>();
    for (const p of problems) {
      const field = stepFieldOf(
        definitionPath(p.path).replace(/^steps\.\d+\.?/, ''),
        initial.values,
      );
      if (field && !out.has(field)) out.set(field, p.message);
    }
    return out;
  }, [problems, initial.values]);
  const errorOf = (name: string): string | undefined => {
    const own = messageAt(errors, name);
    if (own) return own;
    return isDirtyAt(dirtyFields, name) ? undefined : serverErrors.get(name);
  };
  const kit: StepFieldsProps = { form, errorOf, groups, ctx, idPrefix: `step-${step.id}` };
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => e.preventDefault()}
      data-testid="step-form"
      data-step-type={step.type}
    >
      <div className="grid grid-cols-[minmax(0,1fr)_7rem] gap-2">
        <TextField
          kit={kit}
          name="name"
          label="Step name"
          placeholder={STEP_LABELS[step.type]}
          testId="step-name"
          className={step.type === 'stop' ? 'col-span-2' : undefined}
        />
        {step.type === 'stop' ? null : (
          <TextField
            kit={kit}
            name="maxAttempts"
            label="Max attempts"
            inputMode="numeric"
            placeholder="3"
            testId="step-retry"
          />
        )}
      </div>
      <TypeFields kit={kit} type={step.type} />
    </form>
  );
}
