import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Button, Card, Field, Input, Textarea } from '../../components/ui';
import { inputTypeOf, type FormEditorValues } from './form-model';

/** Why the preview cannot send right now, or null when it can. */
function blockedReason(saved: boolean, dirty: boolean, active: boolean): string | null {
  if (!saved) return 'Save the form to send a test submission.';
  if (dirty) return 'Save your changes to send a test: the server checks the saved form.';
  if (!active) return 'The form is inactive, so it accepts no submissions.';
  return null;
}

/**
 * The form as a visitor sees it, following the editor as it changes. Sending posts to the real
 * public endpoint, so a test creates a real lead through the form's defaults and the assignment
 * rules: that is what an admin wants to check before putting the form on a website.
 */
export function FormPreview({
  formId,
  values,
  dirty,
}: {
  formId: string | null;
  values: FormEditorValues;
  dirty: boolean;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const blocked = blockedReason(formId !== null, dirty, values.active);
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!formId || blocked) return;
    setSending(true);
    setProblems({});
    try {
      const body = Object.fromEntries(values.fields.map((f) => [f.name, answers[f.name] ?? '']));
      await unwrap(
        http.POST('/api/v1/forms/{formId}/submit', { params: { path: { formId } }, body }),
      );
      setAnswers({});
      void queryClient.invalidateQueries({ queryKey: keys.records('leads').all });
      toast.success('Lead created', {
        description:
          "Placed by the form's owner or your assignment rules, as a visitor's would be.",
        action: { label: 'Open leads', onClick: () => void navigate('/leads?sort=-createdAt') },
      });
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0)
        setProblems(Object.fromEntries(err.details.map((d) => [d.path, d.message])));
      toast.error(err instanceof Error ? err.message : 'The submission failed');
    } finally {
      setSending(false);
    }
  };
  return (
    <Card className="min-w-0 space-y-3">
      <div>
        <h2 className="text-base font-semibold text-ink">Preview</h2>
        <p className="mt-1 text-sm text-ink-soft">
          What visitors see. Sending creates a real lead, as a visitor&apos;s would.
        </p>
      </div>
      <form
        className="space-y-3 rounded-md border border-dashed border-line p-4"
        data-testid="form-preview"
        aria-label="Form preview"
        noValidate
        onSubmit={(e) => void handleSubmit(e)}
      >
        {values.fields.map((f, i) => {
          const id = `preview-${i}`;
          const problem = problems[f.name];
          const props = {
            id,
            name: f.name,
            value: answers[f.name] ?? '',
            'aria-invalid': problem ? true : undefined,
            'aria-describedby': problem ? `${id}-error` : undefined,
            'data-testid': `preview-${f.name}`,
          };
          const type = inputTypeOf(f.leadField);
          return (
            <Field
              key={`${f.name}-${i}`}
              id={id}
              label={`${f.label || 'Untitled field'}${f.required ? ' *' : ''}`}
              error={problem}
            >
              {type === 'textarea' ? (
                <Textarea
                  {...props}
                  onChange={(e) => setAnswers({ ...answers, [f.name]: e.target.value })}
                />
              ) : (
                <Input
                  {...props}
                  type={type}
                  onChange={(e) => setAnswers({ ...answers, [f.name]: e.target.value })}
                />
              )}
            </Field>
          );
        })}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" data-testid="preview-submit" disabled={Boolean(blocked) || sending}>
            Send
          </Button>
          {blocked ? (
            <p className="text-xs text-ink-soft" data-testid="preview-blocked">
              {blocked}
            </p>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
