import { Check } from 'lucide-react';
import { cn } from '../lib/cn';

/**
 * The steps of a wizard, named, with the current one marked (`aria-current="step"`) and the
 * finished ones ticked. It shows where one is; moving between steps is the page's business.
 */
export function Stepper({
  steps,
  current,
  label,
}: {
  steps: readonly string[];
  /** Index of the current step; steps before it count as done. */
  current: number;
  /** What the steps are of, for screen readers ("Import steps"). */
  label: string;
}) {
  return (
    <nav aria-label={label} className="mb-5">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-2 text-sm" data-testid="stepper">
        {steps.map((step, i) => {
          const done = i < current;
          const active = i === current;
          return (
            <li key={step} className="flex items-center gap-2">
              <span
                aria-current={active ? 'step' : undefined}
                className={cn(
                  'flex items-center gap-2 rounded-full py-1 pl-1 pr-3',
                  active
                    ? 'bg-accent-soft font-medium text-accent'
                    : done
                      ? 'text-ink'
                      : 'text-ink-soft',
                )}
              >
                <span
                  aria-hidden="true"
                  className={cn(
                    'flex size-6 items-center justify-center rounded-full border text-xs',
                    active
                      ? 'border-accent bg-accent text-on-accent'
                      : done
                        ? 'border-accent text-accent'
                        : 'border-line',
                  )}
                >
                  {done ? <Check className="size-3.5" /> : i + 1}
                </span>
                {step}
                {done ? <span className="sr-only">(done)</span> : null}
              </span>
              {i < steps.length - 1 ? (
                <span aria-hidden="true" className="hidden h-px w-8 bg-line sm:block" />
              ) : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
