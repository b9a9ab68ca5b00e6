import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ObjectDescription } from '../../api/types';
import { Button, Field, Input } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

/**
 * Renames a custom object (its singular and plural names). The key and the REST resource stay:
 * links, imports, workflows and API clients use them.
 */
export function RenameObject({ object }: { object: ObjectDescription }) {
  const queryClient = useQueryClient();
  const [singular, setSingular] = useState(object.labels.singular);
  const [plural, setPlural] = useState(object.labels.plural);
  const rename = useMutation({
    mutationFn: () =>
      unwrap(
        http.PATCH('/api/v1/objects/{key}', {
          params: { path: { key: object.key } },
          body: { labels: { singular: singular.trim(), plural: plural.trim() } },
        }),
      ),
    onSuccess: (o) => {
      toast.success(`Renamed to ${o.labels.plural}`);
      void queryClient.invalidateQueries({ queryKey: keys.objects });
    },
    onError: (e) => showApiError(e),
  });
  const changed =
    singular.trim() !== object.labels.singular || plural.trim() !== object.labels.plural;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (changed && singular.trim() && plural.trim()) rename.mutate();
  };
  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3"
      aria-label={`Rename ${object.labels.plural}`}
      data-testid="rename-object"
    >
      <Field label="Singular name" id={`rename-${object.key}-singular`}>
        <Input
          id={`rename-${object.key}-singular`}
          value={singular}
          maxLength={60}
          onChange={(e) => setSingular(e.target.value)}
          data-testid="rename-singular"
        />
      </Field>
      <Field label="Plural name" id={`rename-${object.key}-plural`}>
        <Input
          id={`rename-${object.key}-plural`}
          value={plural}
          maxLength={60}
          onChange={(e) => setPlural(e.target.value)}
          data-testid="rename-plural"
        />
      </Field>
      <Button
        type="submit"
        size="sm"
        disabled={!changed || !singular.trim() || !plural.trim() || rename.isPending}
        data-testid="rename-save"
      >
        Rename
      </Button>
    </form>
  );
}

/**
 * Whether a custom object's records' name is personal data (a person's name): GDPR export covers
 * it, and erasure replaces it with "Erased record". Saved as soon as it is ticked.
 */
export function PersonalNameToggle({ object }: { object: ObjectDescription }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (personalName: boolean) =>
      unwrap(
        http.PATCH('/api/v1/objects/{key}', {
          params: { path: { key: object.key } },
          body: { personalName },
        }),
      ),
    onSuccess: (o) => {
      toast.success(
        o.personalName
          ? `The names of ${o.labels.plural.toLowerCase()} are personal data`
          : `The names of ${o.labels.plural.toLowerCase()} are not personal data`,
      );
      void queryClient.invalidateQueries({ queryKey: keys.objects });
    },
    onError: (e) => showApiError(e),
  });
  return (
    <label className="flex items-start gap-2 text-sm text-ink">
      <input
        type="checkbox"
        className="mt-0.5"
        checked={object.personalName ?? false}
        disabled={save.isPending}
        onChange={(e) => save.mutate(e.target.checked)}
        data-testid="object-personal-name"
      />
      <span>
        The name of each record is personal data (a person&apos;s name): exported on a GDPR request,
        and replaced by &ldquo;Erased record&rdquo; when the person asks to be erased
      </span>
    </label>
  );
}
