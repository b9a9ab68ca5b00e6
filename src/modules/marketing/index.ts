/**
 * The marketing module, so far only its resources: campaigns, segments and email templates can
 * be granted (the marketing specialist role holds them) before their routes arrive.
 */
import { grantsOver, type PermissionCatalog } from '../../platform/authz/index.js';
import type { ModuleDefinition } from '../../platform/module-definition/index.js';

const PERMISSIONS: PermissionCatalog = [
  { resource: 'campaigns', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'segments', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'email-templates', actions: ['read', 'create', 'update', 'delete'] },
];

/** Marketing as the module list sees it. */
export const marketingModule: ModuleDefinition = {
  name: 'marketing',
  permissions: PERMISSIONS,
  defaultGrants: {
    marketing_specialist: grantsOver(PERMISSIONS)(
      'all',
      ['campaigns', 'segments', 'email-templates'],
      ['read', 'create', 'update', 'delete'],
    ),
  },
};
