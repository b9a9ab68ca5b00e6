import { ensureEmbeddedTemplate, ensurePostgresTemplate } from './template.js';

/** Migrates the template databases once for the whole run. */
export default async function setup(): Promise<void> {
  await ensureEmbeddedTemplate();
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) await ensurePostgresTemplate(pgUrl);
}
