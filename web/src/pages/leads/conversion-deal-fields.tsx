import { useFormContext } from 'react-hook-form';
import { z } from 'zod';
import { Field, Input, Select } from '../../components/ui';
import { usePipelines } from '../deals/use-pipelines';

/** The conversion form's rules, as the server's: a deal needs a name; an amount is 0 or more. */
export const conversionFormSchema = z
  .object({
    createDeal: z.boolean(),
    dealName: z.string().max(200, 'At most 200 characters'),
    amount: z
      .string()
      .refine(
        (v) => v.trim() === '' || (Number.isFinite(Number(v)) && Number(v) >= 0),
        'Enter an amount of 0 or more',
      ),
    closeDate: z.string(),
    pipelineId: z.string(),
    stageId: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.createDeal && !v.dealName.trim())
      ctx.addIssue({ code: 'custom', path: ['dealName'], message: 'Name the deal' });
  });
export type ConversionFormValues = z.infer<typeof conversionFormSchema>;

/** The form fields a 422 can name, by the API path that names them. */
export const DEAL_FIELD_ALIASES: Readonly<Record<string, keyof ConversionFormValues>> = {
  'deal.name': 'dealName',
  'deal.amount': 'amount',
  'deal.expectedCloseDate': 'closeDate',
  'deal.pipelineId': 'pipelineId',
  'deal.stageId': 'stageId',
};

/** "Create a deal" and, when ticked, the deal's name, amount, close date, pipeline and stage. */
export function ConversionDealFields({ currency }: { currency: string }) {
  const form = useFormContext<ConversionFormValues>();
  const { errors } = form.formState;
  const createDeal = form.watch('createDeal');
  const { pipelines, current } = usePipelines(form.watch('pipelineId'));
  // Won and lost stages ask for more than a conversion knows (a lost reason): open ones only.
  const stages = current?.stages.filter((s) => s.kind === 'open') ?? [];
  const invalid = (name: keyof ConversionFormValues) => (errors[name] ? true : undefined);
  return (
    <section className="space-y-3 rounded-md border border-line p-3" aria-label="Deal">
      <label className="flex items-center gap-2 text-sm font-medium text-ink">
        <input
          type="checkbox"
          className="size-4 accent-[var(--accent)]"
          data-testid="convert-create-deal"
          {...form.register('createDeal')}
        />
        Create a deal
      </label>
      {createDeal ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <Field label="Deal name" id="convert-deal-name" error={errors.dealName?.message}>
              <Input
                id="convert-deal-name"
                data-testid="convert-deal-name"
                aria-invalid={invalid('dealName')}
                {...form.register('dealName')}
              />
            </Field>
          </div>
          <Field label={`Amount (${currency})`} id="convert-amount" error={errors.amount?.message}>
            <Input
              id="convert-amount"
              data-testid="convert-amount"
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              placeholder="0"
              aria-invalid={invalid('amount')}
              {...form.register('amount')}
            />
          </Field>
          <Field label="Expected close" id="convert-close" error={errors.closeDate?.message}>
            <Input
              id="convert-close"
              data-testid="convert-close-date"
              type="date"
              aria-invalid={invalid('closeDate')}
              {...form.register('closeDate')}
            />
          </Field>
          <Field label="Pipeline" id="convert-pipeline" error={errors.pipelineId?.message}>
            <Select
              id="convert-pipeline"
              data-testid="convert-pipeline"
              aria-invalid={invalid('pipelineId')}
              {...form.register('pipelineId', {
                // A stage belongs to one pipeline: another pipeline starts at its first open stage.
                onChange: (e: { target: { value: string } }) => {
                  const next = pipelines.find((p) => p.id === e.target.value);
                  form.setValue('stageId', next?.stages.find((s) => s.kind === 'open')?.id ?? '');
                },
              })}
            >
              {pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Stage" id="convert-stage" error={errors.stageId?.message}>
            <Select
              id="convert-stage"
              data-testid="convert-stage"
              aria-invalid={invalid('stageId')}
              {...form.register('stageId')}
            >
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      ) : null}
    </section>
  );
}
