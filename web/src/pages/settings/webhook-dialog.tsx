import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { Switch } from 'radix-ui';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Webhook } from '../../api/types';
import { Button, Dialog, Field, Input } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { EventTypesInput } from './webhook-event-input';
import { webhookFormSchema, type WebhookFormValues } from './webhook-form';
import { WebhookSecret } from './webhook-secret';

const FIELDS = ['url', 'description', 'eventTypes', 'active'] as const;

const initialValues = (webhook: Webhook | null): WebhookFormValues => ({
  url: webhook?.url ?? '',
  description: webhook?.description ?? '',
  eventTypes: webhook?.eventTypes ?? [],
  active: webhook?.active ?? true,
});

/** Creates a webhook (then shows its secret once) or edits one (`webhook` given; `onDelete` offers deleting it). */
export function WebhookDialog({
  open,
  onOpenChange,
  webhook,
  onDelete,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  webhook: Webhook | null;
  onDelete?: (() => void) | undefined;
}) {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<WebhookFormValues>({
    resolver: zodResolver(webhookFormSchema),
    defaultValues: initialValues(webhook),
  });
  const { errors, isSubmitting } = form.formState;

  // Each opening starts from the webhook as it is then (or an empty form) and forgets an old
  // secret; a list refetch while the dialog is open must not wipe what the user is typing.
  useEffect(() => {
    if (open) {
      form.reset(initialValues(webhook));
      setSecret(null);
    }
  }, [open]);

  const onSubmit = form.handleSubmit(async (v) => {
    const body = {
      url: v.url,
      eventTypes: v.eventTypes,
      description: v.description || null,
      active: v.active,
    };
    try {
      if (webhook) {
        await unwrap(
          http.PATCH('/api/v1/webhooks/{id}', {
            params: { path: { id: webhook.id } },
            headers: ifMatch(webhook.version),
            body,
          }),
        );
        toast.success('Webhook saved');
        onOpenChange(false);
      } else {
        const created = await unwrap(http.POST('/api/v1/webhooks', { body }));
        setSecret(created.secret);
      }
      await queryClient.invalidateQueries({ queryKey: keys.webhooks.all });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast.error('Someone else changed this webhook meanwhile. Reopen it to see their version.');
        await queryClient.invalidateQueries({ queryKey: keys.webhooks.all });
        onOpenChange(false);
        return;
      }
      showApiError(e, form.setError, FIELDS);
    }
  });

  if (secret) {
    return (
      <Dialog
        open={open}
        onOpenChange={onOpenChange}
        size="lg"
        title="Webhook created: copy its signing secret"
        description="This is the only time the secret is shown. Store it where your receiver can read it."
      >
        <WebhookSecret secret={secret} onDone={() => onOpenChange(false)} />
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={webhook ? 'Edit webhook' : 'New webhook'}
      description={
        webhook
          ? undefined
          : 'Cerebro POSTs a signed JSON event to this URL whenever a matching event happens.'
      }
    >
      <form
        onSubmit={(e) => void onSubmit(e)}
        className="space-y-3"
        noValidate
        data-testid="webhook-form"
      >
        <Field label="Endpoint URL" id="webhook-url" error={errors.url?.message}>
          <Input
            id="webhook-url"
            data-testid="webhook-url"
            type="url"
            inputMode="url"
            autoFocus
            placeholder="https://example.com/hooks/cerebro"
            aria-invalid={errors.url ? true : undefined}
            aria-describedby={errors.url ? 'webhook-url-error' : undefined}
            {...form.register('url')}
          />
        </Field>
        <Field
          label="Description (optional)"
          id="webhook-description"
          error={errors.description?.message}
        >
          <Input
            id="webhook-description"
            data-testid="webhook-description"
            maxLength={500}
            placeholder="e.g. Sync new customers to the ERP"
            aria-invalid={errors.description ? true : undefined}
            {...form.register('description')}
          />
        </Field>
        <Field
          label="Event types"
          id="webhook-events"
          error={
            errors.eventTypes?.message ??
            (Array.isArray(errors.eventTypes)
              ? (errors.eventTypes as Array<{ message?: string } | undefined>).find(Boolean)
                  ?.message
              : undefined)
          }
          hint="Type to see known events; * is every event, deal.* every deal event. Enter or comma adds."
        >
          <Controller
            control={form.control}
            name="eventTypes"
            render={({ field }) => (
              <EventTypesInput
                id="webhook-events"
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                invalid={Boolean(errors.eventTypes)}
                describedBy={errors.eventTypes ? 'webhook-events-error' : undefined}
              />
            )}
          />
        </Field>
        <Controller
          control={form.control}
          name="active"
          render={({ field }) => (
            <div className="flex items-center justify-between gap-3 rounded-md border border-line px-3 py-2">
              <label htmlFor="webhook-active" className="text-sm text-ink">
                <span className="font-medium">Active</span>
                <span className="block text-xs text-ink-soft">
                  {webhook?.disabledReason === 'failures' && !webhook.active
                    ? 'Turning it on again resets the failure count.'
                    : 'Inactive webhooks receive nothing; events are not queued for them.'}
                </span>
              </label>
              <Switch.Root
                id="webhook-active"
                data-testid="webhook-active"
                checked={field.value}
                onCheckedChange={field.onChange}
                className="relative h-5 w-9 shrink-0 rounded-full bg-line transition-colors data-[state=checked]:bg-accent"
              >
                <Switch.Thumb className="block size-4 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[18px]" />
              </Switch.Root>
            </div>
          )}
        />
        <div className="flex justify-end gap-2 pt-2">
          {webhook && onDelete ? (
            <Button
              variant="ghost"
              className="mr-auto text-danger hover:text-danger"
              data-testid="webhook-delete"
              onClick={() => (onOpenChange(false), onDelete())}
            >
              Delete…
            </Button>
          ) : null}
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" data-testid="webhook-submit" disabled={isSubmitting}>
            {webhook ? 'Save' : 'Create webhook'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
