import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ConversionPreview } from '../../api/types';
import { Button, Dialog, Skeleton } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { currencyDigits } from '../../lib/money';
import { ConversionChoice, type MatchView, type RecordChoice } from './conversion-choice';
import {
  ConversionDealFields,
  DEAL_FIELD_ALIASES,
  conversionFormSchema,
  type ConversionFormValues,
} from './conversion-deal-fields';

type Preview = ConversionPreview;

const contactView = (p: Preview['contact']): MatchView => {
  const pick = (c: NonNullable<Preview['contact']['contact']>) => ({
    id: c.id,
    name: c.name,
    detail: c.email,
  });
  return {
    match: p.match,
    record: p.contact && pick(p.contact),
    candidates: p.candidates.map(pick),
  };
};
const companyView = (p: Preview['company']): MatchView => {
  const pick = (c: NonNullable<Preview['company']['company']>) => ({
    id: c.id,
    name: c.name,
    detail: c.domain,
  });
  return {
    match: p.match,
    record: p.company && pick(p.company),
    candidates: p.candidates.map(pick),
  };
};

/** The conversion body's part for one side: a picked id, a forced new record, or nothing (match). */
function choiceBody(side: 'contact' | 'company', choice: RecordChoice) {
  if (choice.mode === 'pick') return { [`${side}Id`]: choice.record.id };
  if (choice.mode === 'new')
    return side === 'contact' ? { newContact: true } : { newCompany: true };
  return {};
}

const defaultsOf = (p: Preview | undefined): ConversionFormValues => ({
  createDeal: true,
  dealName: p?.deal.name ?? '',
  amount: '',
  closeDate: '',
  pipelineId: p?.deal.pipeline?.id ?? '',
  stageId: p?.deal.stage?.id ?? '',
});

/**
 * Converting a lead: shows what the conversion will use or create (the server's preview, the same
 * matching the conversion runs), lets the user pick other records or force new ones, and
 * optionally opens a deal. Lands on the deal, or on the contact when there is none.
 */
export function ConvertLeadDialog({
  open,
  onOpenChange,
  leadId,
  leadName,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  leadId: string;
  leadName: string;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [contact, setContact] = useState<RecordChoice>({ mode: 'auto' });
  const [company, setCompany] = useState<RecordChoice>({ mode: 'auto' });
  const preview = useQuery({
    queryKey: keys.conversionPreview(leadId),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/leads/{id}/conversion-preview', { params: { path: { id: leadId } } }),
      ),
    enabled: open,
  });
  const form = useForm<ConversionFormValues>({
    resolver: zodResolver(conversionFormSchema),
    defaultValues: defaultsOf(preview.data),
  });
  const currency = preview.data?.deal.currency ?? 'USD';

  // The dialog mounts per opening (see ConvertLead), so its choices start fresh; the form takes
  // the preview's defaults once they arrive, and a later refetch keeps what is being typed.
  const loaded = preview.data !== undefined;
  useEffect(() => {
    if (preview.data) form.reset(defaultsOf(preview.data));
  }, [loaded]);

  const convert = useMutation({
    mutationFn: (v: ConversionFormValues) =>
      unwrap(
        http.POST('/api/v1/leads/{id}/convert', {
          params: { path: { id: leadId } },
          body: {
            ...choiceBody('contact', contact),
            ...choiceBody('company', company),
            createDeal: v.createDeal,
            ...(v.createDeal
              ? {
                  deal: {
                    name: v.dealName.trim(),
                    ...(v.amount.trim()
                      ? { amount: Math.round(Number(v.amount) * 10 ** currencyDigits(currency)) }
                      : {}),
                    currency,
                    ...(v.closeDate ? { expectedCloseDate: v.closeDate } : {}),
                    ...(v.pipelineId ? { pipelineId: v.pipelineId } : {}),
                    ...(v.stageId ? { stageId: v.stageId } : {}),
                  },
                }
              : {}),
          },
        }),
      ),
    onSuccess: async (r) => {
      onOpenChange(false);
      const contactPath = `/contacts/${r.contact.id}`;
      toast.success(r.deal ? 'Lead converted: deal opened' : 'Lead converted into a contact', {
        ...(r.deal
          ? { action: { label: 'Open contact', onClick: () => void navigate(contactPath) } }
          : {}),
      });
      void navigate(r.deal ? `/deals/${r.deal.id}` : contactPath);
      await Promise.all(
        ['leads', 'contacts', 'companies', 'deals'].map((resource) =>
          queryClient.invalidateQueries({ queryKey: keys.records(resource).all }),
        ),
      );
    },
    onError: (e) =>
      showApiError(e, form.setError, Object.values(DEAL_FIELD_ALIASES), DEAL_FIELD_ALIASES),
  });

  const data = preview.data;
  // A lead naming no person cannot make a contact: one must be picked first.
  const needsContact = data?.contact.match === 'none' && contact.mode !== 'pick';
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Convert ${leadName}`}
      description="The lead becomes a contact (with its company), and its activities move along."
    >
      {preview.isError ? (
        <p role="alert" className="text-sm text-danger">
          {preview.error.message}
        </p>
      ) : !data ? (
        <Skeleton rows={4} />
      ) : (
        <FormProvider {...form}>
          <form
            noValidate
            data-testid="convert-form"
            className="space-y-3"
            onSubmit={(e) => void form.handleSubmit((v) => convert.mutate(v))(e)}
          >
            <ConversionChoice
              kind="contact"
              view={contactView(data.contact)}
              choice={contact}
              onChange={setContact}
            />
            <ConversionChoice
              kind="company"
              view={companyView(data.company)}
              choice={company}
              onChange={setCompany}
            />
            <ConversionDealFields currency={currency} />
            <div className="flex justify-end gap-2 pt-1">
              <Button variant="secondary" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button
                type="submit"
                data-testid="convert-submit"
                disabled={convert.isPending || needsContact}
              >
                {convert.isPending ? 'Converting…' : 'Convert'}
              </Button>
            </div>
          </form>
        </FormProvider>
      )}
    </Dialog>
  );
}
