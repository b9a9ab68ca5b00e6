import type { Page } from 'playwright-core';

/**
 * Opens a node of the workflow canvas from the keyboard: focus it and press Enter, until `form`
 * shows. Right after the canvas appears React Flow may still be laying it out and re-render the
 * node, which drops the focus and lets the Enter fall on nothing; a real user would press again.
 */
export async function openNodeFromKeyboard(
  page: Page,
  nodeId: string,
  form: string,
): Promise<void> {
  const node = page.locator(`.react-flow__node[data-id="${nodeId}"]`);
  const panel = page.getByTestId(form);
  for (let tries = 0; tries < 5 && !(await panel.isVisible()); tries++) {
    await node.focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ timeout: 3_000 }).catch(() => undefined);
  }
  await panel.waitFor();
}
