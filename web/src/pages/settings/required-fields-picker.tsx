import { Popover } from 'radix-ui';
import { Button } from '../../components/ui';

/**
 * Picks the deal fields a stage requires before a deal may enter it. A popover of checkboxes
 * rather than a native multi-select: those need Ctrl-click, which few people know.
 */
export function RequiredFieldsPicker({
  id,
  stageName,
  value,
  options,
  disabled,
  invalid,
  onChange,
}: {
  id: string;
  stageName: string;
  value: readonly string[];
  options: ReadonlyArray<{ value: string; label: string }>;
  disabled: boolean;
  invalid: boolean;
  onChange: (next: string[]) => void;
}) {
  const labelOf = (v: string) => options.find((o) => o.value === v)?.label ?? v;
  const summary =
    value.length === 0
      ? 'None'
      : value.length === 1
        ? labelOf(value[0] ?? '')
        : `${labelOf(value[0] ?? '')} +${value.length - 1}`;
  // A field required before that is no longer offered (a removed custom field) stays visible, to be unticked.
  const shown = [
    ...options,
    ...value
      .filter((v) => !options.some((o) => o.value === v))
      .map((v) => ({ value: v, label: v })),
  ];
  const toggle = (field: string, on: boolean) =>
    onChange(on ? [...value, field] : value.filter((v) => v !== field));
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button
          id={id}
          variant="secondary"
          size="sm"
          disabled={disabled}
          aria-invalid={invalid || undefined}
          title={value.map(labelOf).join(', ') || undefined}
          data-testid="stage-required"
          className="h-9 w-full justify-start truncate aria-[invalid=true]:border-danger"
        >
          {/* The visible summary stays part of the name (WCAG 2.5.3); the stage is said before it. */}
          <span className="sr-only">Required fields of {stageName}: </span>
          {summary}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          className="z-50 max-h-80 w-64 overflow-y-auto rounded-lg border border-line bg-panel p-3 shadow-xl"
        >
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-ink">
              Required to enter {stageName}
            </legend>
            <div className="space-y-1.5">
              {shown.map((o) => (
                <label key={o.value} className="flex items-center gap-2 text-sm text-ink">
                  <input
                    type="checkbox"
                    className="size-4 accent-[var(--accent)]"
                    checked={value.includes(o.value)}
                    onChange={(e) => toggle(o.value, e.target.checked)}
                  />
                  {o.label}
                  {o.value.startsWith('custom.') ? (
                    <span className="text-xs text-ink-soft">custom</span>
                  ) : null}
                </label>
              ))}
            </div>
          </fieldset>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
