import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronLeft } from 'lucide-react';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Button, Card, Field, Input, PageHeader, Skeleton } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { FormDestination } from './form-destination';
import { FormEmbed } from './form-embed';
import { FormFieldsEditor } from './form-fields-editor';
import {
  bodyOf,
  editorPaths,
  editorValuesOf,
  FORMS_KEY,
  FORMS_WHO_MAY,
  formEditorSchema,
  NEW_FORM,
  type FormEditorValues,
  type WebForm,
} from './form-model';
import { FormPreview } from './form-preview';
import { LoadProblem } from './load-problem';

/** The editor for one form (`saved`), or for a new one: fields, destination, preview and snippet. */
function FormEditor({ saved }: { saved: WebForm | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<FormEditorValues>({
    resolver: zodResolver(formEditorSchema),
    defaultValues: saved ? editorValuesOf(saved) : NEW_FORM,
  });
  const { errors, isSubmitting, isDirty } = form.formState;
  // A save answers the new version: the editor starts over from it, so it is no longer dirty.
  useEffect(() => {
    if (saved) form.reset(editorValuesOf(saved));
  }, [saved?.version]);

  const onSubmit = form.handleSubmit(async (values) => {
    const body = bodyOf(values);
    try {
      const result = saved
        ? await unwrap(
            http.PATCH('/api/v1/forms/{id}', {
              params: { path: { id: saved.id } },
              headers: ifMatch(saved.version),
              body,
            }),
          )
        : await unwrap(http.POST('/api/v1/forms', { body }));
      queryClient.setQueryData(keys.webForms.detail(result.id), result);
      void queryClient.invalidateQueries({ queryKey: FORMS_KEY, exact: true });
      toast.success(saved ? 'Form saved' : 'Form created: copy its snippet below');
      if (!saved) void navigate(`/settings/forms/${result.id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast.error('Someone else changed this form meanwhile; reloaded their version.');
        await queryClient.invalidateQueries({ queryKey: keys.webForms.detail(saved?.id ?? '') });
        return;
      }
      showApiError(e, form.setError, editorPaths(values.fields.length));
    }
  });

  const values = form.watch();
  return (
    <div className="space-y-5">
      <Link
        to="/settings/forms"
        className="inline-flex items-center gap-1 text-sm text-ink-soft hover:text-ink"
      >
        <ChevronLeft aria-hidden className="size-4" /> Web forms
      </Link>
      <PageHeader
        title={saved ? saved.name : 'New web form'}
        description="Choose what the form asks; each answer fills a field of the new lead."
      />
      <form
        className="space-y-4"
        noValidate
        data-testid="form-editor"
        onSubmit={(e) => void onSubmit(e)}
      >
        <Card className="space-y-4">
          <Field label="Form name" id="form-name" error={errors.name?.message}>
            <Input
              id="form-name"
              data-testid="form-name"
              placeholder="e.g. Contact us"
              autoFocus={!saved}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? 'form-name-error' : undefined}
              {...form.register('name')}
            />
          </Field>
          <FormFieldsEditor form={form} />
        </Card>
        <FormDestination form={form} />
        <div className="flex items-center justify-end gap-2">
          {saved && isDirty ? (
            <Button variant="ghost" onClick={() => form.reset(editorValuesOf(saved))}>
              Discard changes
            </Button>
          ) : null}
          <Button type="submit" data-testid="form-save" disabled={isSubmitting}>
            {saved ? 'Save form' : 'Create form'}
          </Button>
        </div>
      </form>
      <div className="grid gap-4 xl:grid-cols-2">
        <FormPreview formId={saved?.id ?? null} values={values} dirty={isDirty} />
        {saved ? (
          <FormEmbed formId={saved.id} version={saved.version} />
        ) : (
          <Card>
            <h2 className="text-base font-semibold text-ink">Embed on your website</h2>
            <p className="mt-1 text-sm text-ink-soft">
              Create the form to get the HTML snippet for your website.
            </p>
          </Card>
        )}
      </div>
    </div>
  );
}

/** `/settings/forms/new` and `/settings/forms/:id`. */
export default function FormEditorPage() {
  const { id } = useParams();
  const isNew = id === 'new' || id === undefined;
  const current = useQuery({
    queryKey: keys.webForms.detail(id ?? ''),
    queryFn: () => unwrap(http.GET('/api/v1/forms/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !isNew,
    retry: false,
  });
  if (isNew) return <FormEditor key="new" saved={null} />;
  if (current.isPending) return <Skeleton rows={6} />;
  if (current.isError) return <LoadProblem error={current.error} whoMay={FORMS_WHO_MAY} />;
  return <FormEditor key={current.data.id} saved={current.data} />;
}
