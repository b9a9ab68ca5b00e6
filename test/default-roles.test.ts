import { describe, expect, it } from 'vitest';
import { MODULE_REGISTRY } from '../src/modules/index.js';
import {
  authorize,
  decide,
  mergeGrants,
  ownerFilter,
  type Actor,
} from '../src/platform/authz/index.js';

const ME = 'u-me';
const TEAMMATE = 'u-mate';
const STRANGER = 'u-other';

function actorWithRole(key: string, teamMemberIds: string[] = [ME, TEAMMATE]): Actor {
  const role = MODULE_REGISTRY.defaultRoles.find((r) => r.key === key);
  if (!role) throw new Error(`no role ${key}`);
  const { grants, grantSources } = mergeGrants([{ role: role.key, grants: role.permissions }]);
  return {
    type: 'user',
    id: ME,
    userId: ME,
    organizationId: 'o',
    name: 'Me',
    grants,
    grantSources,
    teamIds: ['t1'],
    teamMemberIds,
    sessionId: null,
  };
}

describe('authorization with the default roles the modules declare', () => {
  it("lets reps read and edit their own and their team's records, delete only their own", () => {
    const rep = actorWithRole('sales_rep');
    expect(decide(rep, 'contacts:update', { ownerId: TEAMMATE }).allowed).toBe(true);
    expect(decide(rep, 'contacts:update', { ownerId: STRANGER }).allowed).toBe(false);
    expect(decide(rep, 'contacts:delete', { ownerId: TEAMMATE }).allowed).toBe(false);
    expect(decide(rep, 'contacts:delete', { ownerId: ME })).toMatchObject({
      allowed: true,
      role: 'sales_rep',
      scope: 'own',
    });
    expect(decide(rep, 'users:update').allowed).toBe(false);
  });

  it("lets managers act on their teams' records and admins on all", () => {
    const manager = actorWithRole('sales_manager');
    expect(decide(manager, 'deals:delete', { ownerId: TEAMMATE }).allowed).toBe(true);
    expect(decide(manager, 'deals:delete', { ownerId: STRANGER }).allowed).toBe(false);
    expect(decide(actorWithRole('admin'), 'deals:delete', { ownerId: STRANGER })).toMatchObject({
      allowed: true,
      scope: 'all',
      role: 'admin',
    });
  });

  it('keeps the widest scope when roles overlap', () => {
    const { grants, grantSources } = mergeGrants([
      { role: 'a', grants: [{ permission: 'deals:read', scope: 'own' }] },
      { role: 'b', grants: [{ permission: 'deals:read', scope: 'all' }] },
    ]);
    expect(grants.get('deals:read')).toBe('all');
    expect(grantSources.get('deals:read')).toBe('b');
  });

  it('answers 404 for records the actor may not read and 403 for readable ones it may not change', () => {
    const rep = actorWithRole('sales_rep');
    expect(() => authorize({ actor: rep }, 'contacts:delete', { ownerId: STRANGER })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => authorize({ actor: rep }, 'contacts:delete', { ownerId: TEAMMATE })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('turns scopes into list filters', () => {
    expect(ownerFilter(actorWithRole('admin'), 'contacts:read')).toEqual({ kind: 'all' });
    expect(ownerFilter(actorWithRole('sales_rep'), 'contacts:read')).toEqual({
      kind: 'owners',
      userIds: [ME, TEAMMATE],
    });
    expect(ownerFilter(actorWithRole('support_agent'), 'deals:read')).toEqual({ kind: 'none' });
  });
});
