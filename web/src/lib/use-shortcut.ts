import { useEffect } from 'react';

/** Whether a key press lands in a text field (or an open dialog), where letters are input, not commands. */
const isTypingOrModal = (e: KeyboardEvent): boolean =>
  (e.target instanceof HTMLElement &&
    (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName))) ||
  document.querySelector('[role="dialog"]') !== null;

/**
 * Binds a one-key shortcut (e.g. `n` for "new") while the calling page is mounted. Like the app
 * shell's shortcuts it stays quiet while the user types, with modifiers held, or over a dialog.
 */
export function useShortcut(key: string, onPress: () => void, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== key || e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTypingOrModal(e))
        return;
      e.preventDefault();
      onPress();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, onPress, enabled]);
}
