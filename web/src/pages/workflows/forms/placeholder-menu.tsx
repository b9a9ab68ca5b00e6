import { Braces } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import type { PlaceholderGroup } from './placeholders';

/**
 * The "Insert field" menu beside a text field that takes placeholders: the trigger record's
 * fields and its linked records', each inserted as `{{object.field}}`. Radix gives it arrow keys,
 * type-ahead and Escape; closing hands focus back to the text field (`onClosed`).
 */
export function PlaceholderMenu({
  groups,
  fieldLabel,
  onPick,
  onClosed,
  testId,
}: {
  groups: readonly PlaceholderGroup[];
  fieldLabel: string;
  onPick: (token: string) => void;
  onClosed: (event: Event) => void;
  testId?: string | undefined;
}) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        aria-label={`Insert field into ${fieldLabel}`}
        data-testid={testId}
        className="inline-flex h-7 shrink-0 items-center gap-1 rounded-md px-2 text-xs font-medium text-ink-soft hover:bg-muted hover:text-ink data-[state=open]:bg-muted"
      >
        <Braces size={13} aria-hidden />
        Insert field
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          onCloseAutoFocus={onClosed}
          className="z-50 max-h-[min(22rem,var(--radix-dropdown-menu-content-available-height))] w-72 overflow-y-auto rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
        >
          {groups.map((g, i) => (
            <DropdownMenu.Group key={g.label}>
              {i > 0 ? <DropdownMenu.Separator className="my-1 h-px bg-line" /> : null}
              <DropdownMenu.Label className="px-2 py-1 text-xs font-medium uppercase tracking-wide text-ink-soft">
                {g.label}
              </DropdownMenu.Label>
              {g.items.map((item) => (
                <DropdownMenu.Item
                  key={item.token}
                  onSelect={() => onPick(item.token)}
                  data-testid="placeholder-item"
                  data-token={item.token}
                  className="flex cursor-pointer flex-col rounded px-2 py-1 text-ink outline-none data-[highlighted]:bg-muted"
                >
                  <span className="truncate">{item.label}</span>
                  <code className="truncate text-[11px] text-ink-soft">{item.token}</code>
                </DropdownMenu.Item>
              ))}
            </DropdownMenu.Group>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
