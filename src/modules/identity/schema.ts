import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/index.js';
import type { Grant } from '../../platform/authz/index.js';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** The tables of the identity module, for `tx.withTables<IdentityTables>()`. */
export type IdentityTables = {
  users: {
    organization_id: string;
    id: string;
    email: string;
    name: string;
    password_hash: string;
    status: Defaulted<'active' | 'disabled'>;
    mfa_enabled: Defaulted<boolean>;
    mfa_secret_enc: string | null;
    mfa_pending_secret_enc: string | null;
    mfa_recovery_hashes: Defaulted<string[]>;
    last_login_at: Timestamp | null;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
  roles: {
    organization_id: string;
    id: string;
    key: string;
    name: string;
    description: Defaulted<string>;
    is_system: Defaulted<boolean>;
    permissions: Json<Grant[]>;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
  user_roles: { organization_id: string; user_id: string; role_id: string };
  teams: { organization_id: string; id: string; name: string; created_at: GeneratedTimestamp };
  team_members: {
    organization_id: string;
    team_id: string;
    user_id: string;
    is_manager: Defaulted<boolean>;
  };
  auth_sessions: {
    organization_id: string;
    id: string;
    user_id: string;
    user_agent: string | null;
    ip: string | null;
    created_at: GeneratedTimestamp;
    last_used_at: GeneratedTimestamp;
    revoked_at: Timestamp | null;
    revoked_reason: string | null;
  };
  refresh_tokens: {
    organization_id: string;
    id: string;
    session_id: string;
    token_hash: string;
    expires_at: Timestamp;
    spent_at: Timestamp | null;
    created_at: GeneratedTimestamp;
  };
  api_keys: {
    organization_id: string;
    id: string;
    name: string;
    prefix: string;
    secret_hash: string;
    scopes: string[];
    created_by: string;
    last_used_at: Timestamp | null;
    expires_at: Timestamp | null;
    revoked_at: Timestamp | null;
    created_at: GeneratedTimestamp;
  };
  invitations: {
    organization_id: string;
    id: string;
    email: string;
    role_id: string;
    team_id: string | null;
    token_hash: string;
    invited_by: string | null;
    expires_at: Timestamp;
    accepted_at: Timestamp | null;
    revoked_at: Timestamp | null;
    created_at: GeneratedTimestamp;
  };
  password_resets: {
    organization_id: string;
    id: string;
    user_id: string;
    token_hash: string;
    expires_at: Timestamp;
    used_at: Timestamp | null;
    created_at: GeneratedTimestamp;
  };
};
