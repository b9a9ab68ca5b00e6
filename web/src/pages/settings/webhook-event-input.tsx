import { X } from 'lucide-react';
import { Popover } from 'radix-ui';
import { useRef, useState, type KeyboardEvent } from 'react';
import { cn } from '../../lib/cn';
import {
  isCoveredBy,
  isEventPattern,
  KNOWN_EVENT_TYPES,
  POPULAR_EVENT_TYPES,
} from './webhook-form';

/** Suggestions shown at once: enough to pick from, short enough to scan. */
const MAX_SUGGESTIONS = 8;

/** Keys that finish a typed pattern, like in any tag field. */
const COMMIT_KEYS = new Set(['Enter', ',', ' ', 'Tab']);

/**
 * Event types as removable chips with a text field that suggests known types (WAI-ARIA combobox:
 * arrows move through the list, Enter picks, Escape closes the list without closing the dialog).
 * Any well-formed pattern may be typed, including ones Cerebro does not emit yet.
 */
export function EventTypesInput({
  id,
  value,
  onChange,
  onBlur,
  invalid,
  describedBy,
}: {
  id: string;
  value: string[];
  onChange: (value: string[]) => void;
  onBlur?: () => void;
  invalid?: boolean;
  describedBy?: string | undefined;
}) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const typed = text.trim().toLowerCase();
  // Nothing typed: the common starting points; typing searches every known type. Types a chosen
  // wildcard already covers are left out, since adding them changes nothing.
  const suggestions = (
    typed ? KNOWN_EVENT_TYPES.filter((t) => t.includes(typed)) : POPULAR_EVENT_TYPES
  )
    .filter((t) => !isCoveredBy(value, t))
    .slice(0, MAX_SUGGESTIONS);
  const listId = `${id}-suggestions`;
  const showList = open && suggestions.length > 0;

  const add = (pattern: string) => {
    if (!isEventPattern(pattern)) {
      setProblem(`“${pattern}” is not an event type: use *, resource.* or resource.verb`);
      return;
    }
    if (!value.includes(pattern)) onChange([...value, pattern]);
    setText('');
    setActive(-1);
    setProblem(null);
  };
  const remove = (pattern: string) => onChange(value.filter((v) => v !== pattern));

  const handleKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) =>
        suggestions.length === 0 ? -1 : (i + step + suggestions.length) % suggestions.length,
      );
    } else if (e.key === 'Enter' && showList && active >= 0) {
      e.preventDefault();
      const picked = suggestions[active];
      if (picked) add(picked);
    } else if (COMMIT_KEYS.has(e.key) && typed) {
      // Tab with text commits it and stays, so a half-typed pattern is never dropped silently.
      e.preventDefault();
      add(typed);
    } else if (e.key === 'Enter') {
      // An empty Enter must not submit the form from inside the chip field.
      e.preventDefault();
    } else if (e.key === 'Backspace' && !text && value.length > 0) {
      remove(value[value.length - 1] ?? '');
    }
  };

  return (
    <Popover.Root open={showList} onOpenChange={setOpen}>
      <Popover.Anchor asChild>
        <div
          ref={box}
          onClick={() => input.current?.focus()}
          className={cn(
            'flex min-h-9 w-full flex-wrap items-center gap-1 rounded-md border bg-panel px-2 py-1 text-sm focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-accent',
            invalid ? 'border-danger' : 'border-line',
          )}
        >
          {value.map((v) => (
            <span
              key={v}
              className="inline-flex items-center gap-1 rounded bg-accent-soft py-0.5 pl-1.5 pr-0.5 font-mono text-xs text-accent"
              data-testid="event-chip"
            >
              {v}
              <button
                type="button"
                aria-label={`Remove ${v}`}
                className="rounded p-0.5 hover:bg-accent/15"
                onClick={() => remove(v)}
              >
                <X size={12} aria-hidden />
              </button>
            </span>
          ))}
          <input
            ref={input}
            id={id}
            data-testid="webhook-event-input"
            value={text}
            autoComplete="off"
            role="combobox"
            aria-expanded={showList}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-invalid={invalid || problem ? true : undefined}
            aria-describedby={
              [describedBy, problem ? `${id}-problem` : undefined].filter(Boolean).join(' ') ||
              undefined
            }
            aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
            placeholder={value.length ? 'Add another…' : 'e.g. contact.created, deal.*'}
            // The box draws the focus ring (focus-within); a second one around the bare text field would double it.
            style={{ outline: 'none' }}
            className="h-7 min-w-32 flex-1 bg-transparent text-ink placeholder:text-ink-soft/70"
            onChange={(e) => (
              setText(e.target.value),
              setOpen(true),
              setActive(-1),
              setProblem(null)
            )}
            onFocus={() => setOpen(true)}
            onBlur={() => onBlur?.()}
            onKeyDown={handleKeyDown}
          />
        </div>
      </Popover.Anchor>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={4}
          // Focus stays in the text field: the list is only pointed at (aria-activedescendant).
          onOpenAutoFocus={(e) => e.preventDefault()}
          onCloseAutoFocus={(e) => e.preventDefault()}
          onInteractOutside={(e) => {
            if (e.target instanceof Node && box.current?.contains(e.target)) e.preventDefault();
          }}
          className="z-50 w-[var(--radix-popover-trigger-width)] rounded-md border border-line bg-panel p-1 shadow-lg"
        >
          <ul
            id={listId}
            role="listbox"
            aria-label="Known event types"
            className="max-h-60 overflow-y-auto text-sm"
          >
            {suggestions.map((s, i) => (
              <li
                key={s}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                data-testid="event-suggestion"
                className={cn(
                  'cursor-pointer rounded px-2 py-1.5 font-mono text-xs text-ink',
                  i === active ? 'bg-accent-soft text-accent' : 'hover:bg-muted',
                )}
                // Keep focus in the field while the pointer picks.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => (add(s), input.current?.focus())}
                onMouseEnter={() => setActive(i)}
              >
                {s}
                {s === '*' ? (
                  <span className="ml-2 font-sans text-ink-soft">every event</span>
                ) : s.endsWith('.*') ? (
                  <span className="ml-2 font-sans text-ink-soft">every {s.slice(0, -2)} event</span>
                ) : null}
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
      {problem ? (
        <p id={`${id}-problem`} role="alert" className="mt-1 text-xs text-danger">
          {problem}
        </p>
      ) : null}
    </Popover.Root>
  );
}
