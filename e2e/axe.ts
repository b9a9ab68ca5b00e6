import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** One axe-core finding. */
export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Runs axe-core on the page as it is and answers the critical and serious violations. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    // axe.run() checks the whole document by default.
    const { axe } = globalThis as unknown as {
      axe: { run: () => Promise<{ violations: Violation[] }> };
    };
    return (await axe.run()).violations;
  });
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}

/** The findings as lines a failing assertion can show. */
export const describeViolations = (vs: Violation[]) =>
  vs.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );

/**
 * Switches the page's theme the way the app's theme button does (the `dark` class on <html>) and
 * waits out the colour transitions, so contrast is measured on the settled colours.
 */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((dark) => {
    const { document } = globalThis as unknown as {
      document: { documentElement: { classList: { toggle(c: string, on: boolean): void } } };
    };
    document.documentElement.classList.toggle('dark', dark);
  }, theme === 'dark');
  await page.waitForTimeout(350);
}
