import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import type { Deps } from '../../platform/context/index.js';
import { sql } from '../../platform/db/index.js';
import type { OrganizationSetup } from '../../platform/module-definition/index.js';
import { bootstrapOrganization, listOrganizations } from './index.js';

/** The same adapters with other organization setups than the module list's. */
const withSetups = (deps: Deps, organizationSetups: OrganizationSetup[]): Deps => ({
  ...deps,
  modules: { ...deps.modules, organizationSetups },
});

describe('organization setups handed in through deps.modules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('gives a new organization the default pipeline the sales module declares', async () => {
    const { organizationId } = await bootstrapOrganization(t.deps, {
      organizationName: 'Piped',
      email: 'piped@example.com',
      name: 'Pip',
      password: 'correct horse battery',
    });
    const pipelines = await sql<{
      name: string;
      is_default: boolean;
    }>`select name, is_default from pipelines where organization_id = ${organizationId}`.execute(
      t.deps.database.db,
    );
    expect(pipelines.rows).toEqual([{ name: 'Sales', is_default: true }]);
  });

  it("runs each setup in the new organization's transaction, after its roles exist", async () => {
    const seen: Array<{ organizationId: string; roles: number }> = [];
    const setup: OrganizationSetup = async (tx, organizationId) => {
      const roles = await sql<{
        n: number;
      }>`select count(*)::int as n from roles where organization_id = ${organizationId}`.execute(
        tx,
      );
      seen.push({ organizationId, roles: roles.rows[0]?.n ?? 0 });
    };
    const { organizationId } = await bootstrapOrganization(withSetups(t.deps, [setup]), {
      organizationName: 'Setup',
      email: 'setup@example.com',
      name: 'Set',
      password: 'correct horse battery',
    });
    expect(seen).toEqual([{ organizationId, roles: t.deps.modules.defaultRoles.length }]);
  });

  it('leaves no organization behind when a setup fails', async () => {
    const failing: OrganizationSetup = async () => {
      throw new Error('setup broke');
    };
    await expect(
      bootstrapOrganization(withSetups(t.deps, [failing]), {
        organizationName: 'Broken setup',
        email: 'broken@example.com',
        name: 'B',
        password: 'correct horse battery',
      }),
    ).rejects.toThrow('setup broke');
    expect((await listOrganizations(t.deps)).map((o) => o.name)).not.toContain('Broken setup');
  });
});
