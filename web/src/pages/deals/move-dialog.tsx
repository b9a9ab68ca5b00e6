import { useState } from 'react';
import { Button, Dialog, Field, Input } from '../../components/ui';

/** What a stage asked for before a deal may enter it (the API's 422 details). */
export interface MissingFields {
  dealName: string;
  stageName: string;
  fields: string[];
}

const LABELS: Record<string, string> = {
  amount: 'Amount',
  expectedCloseDate: 'Expected close date',
  lostReason: 'Why was it lost?',
  probability: 'Probability (%)',
};

/**
 * Asks for exactly the fields the target stage requires, then retries the move with them.
 * Amounts are typed in whole currency units and sent in minor units.
 */
export function MoveDialog({
  missing,
  onSubmit,
  onCancel,
}: {
  missing: MissingFields | null;
  onSubmit: (values: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  if (!missing) return null;
  const supported = missing.fields.filter((f) => f in LABELS);
  const submit = () => {
    const out: Record<string, unknown> = {};
    for (const f of supported) {
      const v = (values[f] ?? '').trim();
      if (f === 'amount') out.amount = Math.round(Number(v) * 100);
      else if (f === 'probability') out.probability = Number(v);
      else out[f] = v;
    }
    setValues({});
    onSubmit(out);
  };
  const complete = supported.every(
    (f) => (values[f] ?? '').trim() !== '' && (f !== 'amount' || Number(values[f]) > 0),
  );
  return (
    <Dialog
      open
      onOpenChange={(o) => (o ? undefined : onCancel())}
      title={`Move “${missing.dealName}” to ${missing.stageName}`}
      description="This stage needs a few things first."
    >
      <form
        className="space-y-3"
        onSubmit={(e) => (e.preventDefault(), complete && submit())}
        data-testid="move-dialog"
      >
        {supported.map((f, i) => (
          <Field key={f} label={LABELS[f] ?? f} id={`move-${f}`}>
            <Input
              id={`move-${f}`}
              autoFocus={i === 0}
              type={f === 'expectedCloseDate' ? 'date' : f === 'lostReason' ? 'text' : 'number'}
              min={f === 'amount' ? 1 : undefined}
              value={values[f] ?? ''}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
            />
          </Field>
        ))}
        {missing.fields.length > supported.length ? (
          <p className="text-sm text-ink-soft">
            Also required: {missing.fields.filter((f) => !(f in LABELS)).join(', ')} — set them on
            the deal page.
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={!complete}>
            Move
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
