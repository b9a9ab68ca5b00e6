/** Shapes of the API answers the web app reads (see /api/openapi.json). */
export interface Grant {
  permission: string;
  scope: 'own' | 'team' | 'all';
}
export interface Me {
  user: { id: string; email: string; name: string; mfaEnabled: boolean; createdAt: string };
  organization: { id: string; name: string; slug: string };
  roles: Array<{ id: string; key: string; name: string }>;
  permissions: Grant[];
}
export interface UserRow {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  roles: Array<{ id: string; key: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  mfaEnabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}
export interface Invitation {
  id: string;
  email: string;
  role: { id: string; key: string; name: string };
  teamId: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  createdAt: string;
}
export interface Role {
  id: string;
  key: string;
  name: string;
  description: string;
  isSystem: boolean;
  permissions: Grant[];
  userCount: number;
}
export interface Team {
  id: string;
  name: string;
  members: Array<{ userId: string; name: string; email: string; isManager: boolean }>;
}
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  createdBy: string;
}
export interface AuditEntry {
  id: string;
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  targetType: string;
  targetId: string | null;
  diff: unknown;
  requestId: string | null;
}
export interface SessionRow {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}
export interface Mail {
  id: string;
  to: string;
  from?: string;
  subject: string;
  text?: string;
  html?: string | null;
  createdAt: string;
}
export interface Contact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  status: 'LEAD' | 'PROSPECT' | 'CUSTOMER' | 'INACTIVE';
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface Company {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  ownerId: string | null;
  createdAt: string;
}
export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}
