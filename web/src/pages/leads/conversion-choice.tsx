import { Building2, UserRound } from 'lucide-react';
import { useState } from 'react';
import type { ConversionPreview } from '../../api/types';
import { RecordPicker, type PickedRecord } from '../record-picker';

/** Which record the user wants: the preview's match, a new one, or one they picked. */
export type RecordChoice =
  { mode: 'auto' } | { mode: 'new' } | { mode: 'pick'; record: PickedRecord };

type Kind = 'contact' | 'company';

/** One side of the preview (contact or company) in the picker's terms. */
export interface MatchView {
  match: ConversionPreview['contact']['match'] | ConversionPreview['company']['match'];
  record: PickedRecord | null;
  candidates: PickedRecord[];
}

const REASON: Record<string, string> = {
  email: 'same email',
  domain: 'same email domain',
  name: 'same name',
  chosen: 'your choice',
};

/** The one-line answer to "what will this become?" for the current choice. */
function summaryOf(kind: Kind, view: MatchView, choice: RecordChoice) {
  if (choice.mode === 'pick')
    return { verb: 'Will use existing', name: choice.record.name, why: REASON.chosen };
  if (choice.mode === 'new' || view.match === 'new')
    return { verb: `Will create a new ${kind}`, name: null, why: null };
  if (view.record)
    return { verb: 'Will use existing', name: view.record.name, why: REASON[view.match] ?? null };
  return {
    verb:
      kind === 'contact'
        ? 'This lead names no person: choose a contact'
        : 'No company: the lead names none',
    name: null,
    why: null,
  };
}

/**
 * What a conversion does with one side (contact or company): a sentence saying it, and on
 * "Change" the other choices — the match, a new record, the likely others, or any by search.
 */
export function ConversionChoice({
  kind,
  view,
  choice,
  onChange,
}: {
  kind: Kind;
  view: MatchView;
  choice: RecordChoice;
  onChange: (choice: RecordChoice) => void;
}) {
  // A lead naming no person has nothing to fall back on: the chooser starts open.
  const [open, setOpen] = useState(view.match === 'none' && kind === 'contact');
  const summary = summaryOf(kind, view, choice);
  const Icon = kind === 'contact' ? UserRound : Building2;
  const selected =
    choice.mode === 'pick' ? choice.record.id : choice.mode === 'new' ? 'new' : 'auto';
  const pick = (record: PickedRecord) => onChange({ mode: 'pick', record });
  const canCreate = view.match !== 'none' || kind === 'company';
  const options = [
    ...(view.record
      ? [{ value: 'auto', label: `Use ${view.record.name}`, detail: REASON[view.match] }]
      : []),
    ...(canCreate ? [{ value: 'new', label: `Create a new ${kind}`, detail: null }] : []),
    ...view.candidates.map((c) => ({ value: c.id, label: `Use ${c.name}`, detail: c.detail })),
    ...(choice.mode === 'pick' && !view.candidates.some((c) => c.id === choice.record.id)
      ? [
          {
            value: choice.record.id,
            label: `Use ${choice.record.name}`,
            detail: choice.record.detail,
          },
        ]
      : []),
  ];
  const handleSelect = (value: string) => {
    if (value === 'auto' || (value === 'new' && view.match === 'new')) onChange({ mode: 'auto' });
    else if (value === 'new') onChange({ mode: 'new' });
    else {
      const record = view.candidates.find((c) => c.id === value);
      if (record) pick(record);
    }
  };
  return (
    <section
      className="rounded-md border border-line p-3"
      aria-label={kind === 'contact' ? 'Contact' : 'Company'}
    >
      <div className="flex items-start gap-2.5">
        <Icon size={16} className="mt-0.5 shrink-0 text-ink-soft" aria-hidden />
        <p className="min-w-0 flex-1 text-sm text-ink" data-testid={`convert-${kind}-summary`}>
          <span className="text-ink-soft">{kind === 'contact' ? 'Contact' : 'Company'}: </span>
          {summary.verb}
          {summary.name ? <strong className="font-medium"> {summary.name}</strong> : null}
          {summary.why ? <span className="text-ink-soft"> ({summary.why})</span> : null}
        </p>
        <button
          type="button"
          className="shrink-0 rounded px-1.5 text-sm text-accent hover:underline"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          data-testid={`convert-${kind}-change`}
        >
          {open ? 'Done' : 'Change'}
        </button>
      </div>
      {open ? (
        <fieldset className="mt-3 space-y-1.5 pl-6">
          <legend className="sr-only">Choose the {kind}</legend>
          {options.map((o) => (
            <label
              key={o.value}
              className="flex cursor-pointer items-baseline gap-2 text-sm text-ink"
            >
              <input
                type="radio"
                name={`convert-${kind}`}
                value={o.value}
                checked={
                  selected === o.value ||
                  (o.value === 'new' && selected === 'auto' && view.match === 'new')
                }
                onChange={() => handleSelect(o.value)}
                className="accent-[var(--accent)]"
                data-testid={`convert-${kind}-option`}
              />
              <span className="min-w-0 truncate">
                {o.label}
                {o.detail ? <span className="text-ink-soft"> · {o.detail}</span> : null}
              </span>
            </label>
          ))}
          <div className="pt-1">
            <RecordPicker
              resource={kind === 'contact' ? 'contacts' : 'companies'}
              label={`Find another ${kind}`}
              compact
              onPick={pick}
            />
          </div>
        </fieldset>
      ) : null}
    </section>
  );
}
