import { ensureE2eTemplate } from './template.js';

/** Migrates the e2e servers' template data directory once for the whole run. */
export default async function setup(): Promise<void> {
  await ensureE2eTemplate();
}
