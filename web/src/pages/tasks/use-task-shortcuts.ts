import { useCallback } from 'react';
import { useShortcut } from '../../lib/use-shortcut';

/**
 * The Tasks page's keys: `j`/`k` move through the list, `x` ticks the current task off (or reopens
 * it), `n` starts a new one. Like every one-key shortcut they stay quiet while the user types.
 */
export function useTaskShortcuts({
  count,
  active,
  setActive,
  onToggle,
  onNew,
}: {
  count: number;
  active: number;
  setActive: (index: number) => void;
  onToggle: (index: number) => void;
  onNew: () => void;
}): void {
  const next = useCallback(
    () => setActive(Math.min(count - 1, active + 1)),
    [count, active, setActive],
  );
  const previous = useCallback(() => setActive(Math.max(0, active - 1)), [active, setActive]);
  const toggle = useCallback(() => {
    if (active >= 0 && active < count) onToggle(active);
  }, [active, count, onToggle]);
  useShortcut('j', next, count > 0);
  useShortcut('k', previous, count > 0);
  useShortcut('x', toggle, count > 0);
  useShortcut('n', onNew);
}
