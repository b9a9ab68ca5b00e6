import { Command } from 'cmdk';
import { ChevronsUpDown } from 'lucide-react';
import { Popover } from 'radix-ui';
import { useState } from 'react';
import { cn } from '../../lib/cn';

/** One choice of a picker: a user, a team. */
export interface PickerOption {
  id: string;
  label: string;
  detail?: string | undefined;
}

/**
 * A searchable single choice (a button that opens a filtered list): for users and teams, whose
 * lists outgrow a plain select. `noneLabel` offers clearing the choice.
 */
export function OptionPicker({
  id,
  value,
  options,
  onChange,
  placeholder,
  noneLabel,
  invalid = false,
  describedBy,
  testId,
}: {
  id: string;
  value: string | null;
  options: readonly PickerOption[];
  onChange: (id: string | null) => void;
  placeholder: string;
  noneLabel?: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const picked = options.find((o) => o.id === value);
  const pick = (next: string | null) => (onChange(next), setOpen(false));
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          type="button"
          id={id}
          data-testid={testId}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          className={cn(
            'flex h-9 w-full items-center justify-between gap-2 rounded-md border border-line bg-panel px-3 text-left text-sm',
            picked ? 'text-ink' : 'text-ink-soft',
            invalid && 'border-danger',
          )}
        >
          <span className="truncate">{picked?.label ?? placeholder}</span>
          <ChevronsUpDown aria-hidden className="size-4 shrink-0 text-ink-soft" />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={4}
          className="z-50 w-[var(--radix-popover-trigger-width)] min-w-56 rounded-md border border-line bg-panel shadow-xl"
        >
          {/* cmdk filters by each item's value; the label is the value so typing a name finds it. */}
          <Command label={placeholder}>
            <Command.Input
              autoFocus
              placeholder="Search…"
              className="h-9 w-full border-b border-line bg-transparent px-3 text-sm text-ink outline-none"
            />
            <Command.List className="max-h-56 overflow-y-auto p-1 text-sm">
              <Command.Empty className="px-3 py-4 text-center text-xs text-ink-soft">
                Nothing matches.
              </Command.Empty>
              {noneLabel ? (
                <Command.Item
                  value={`__none ${noneLabel}`}
                  onSelect={() => pick(null)}
                  className="cursor-pointer rounded px-2.5 py-1.5 text-ink-soft aria-selected:bg-accent-soft"
                >
                  {noneLabel}
                </Command.Item>
              ) : null}
              {options.map((o) => (
                <Command.Item
                  key={o.id}
                  value={`${o.label} ${o.detail ?? ''} ${o.id}`}
                  onSelect={() => pick(o.id)}
                  data-testid="picker-option"
                  className="cursor-pointer rounded px-2.5 py-1.5 text-ink aria-selected:bg-accent-soft"
                >
                  <span className="block truncate">{o.label}</span>
                  {o.detail ? (
                    <span className="block truncate text-xs text-ink-soft">{o.detail}</span>
                  ) : null}
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
