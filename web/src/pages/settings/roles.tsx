import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { rolesQuery, usersQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import type { Grant, Json, Role } from '../../api/types';
import {
  Badge,
  Button,
  Card,
  Field,
  Input,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

type Catalog = Json<'/api/v1/permissions', 'get'>['data'];
type ScopeChoice = Grant['scope'] | 'none';

/** The grid: one row per resource, one select per action (none / own / team / all). */
function RoleEditor({
  role,
  catalog,
  onSaved,
}: {
  role: Role;
  catalog: Catalog;
  onSaved: () => void;
}) {
  const [grants, setGrants] = useState<Map<string, Grant['scope']>>(
    new Map(role.permissions.map((g) => [g.permission, g.scope])),
  );
  const actions = [...new Set(catalog.flatMap((c) => c.actions))];
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        http.PATCH('/api/v1/roles/{id}', {
          params: { path: { id: role.id } },
          body: { permissions: [...grants].map(([permission, scope]) => ({ permission, scope })) },
        }),
      ),
    onSuccess: () => (toast.success(`${role.name} saved`), onSaved()),
    onError: (e) => showApiError(e),
  });
  const set = (permission: string, choice: ScopeChoice) =>
    setGrants((g) => {
      const next = new Map(g);
      if (choice === 'none') next.delete(permission);
      else next.set(permission, choice);
      return next;
    });
  return (
    <Card>
      <div className="mb-3 flex items-center justify-between">
        <div>
          <h2 className="font-medium text-ink">
            {role.name} {role.isSystem ? <Badge>Built-in</Badge> : null}
          </h2>
          <p className="text-sm text-ink-soft">{role.description}</p>
        </div>
        <Button onClick={() => save.mutate()} disabled={save.isPending || role.key === 'admin'}>
          Save
        </Button>
      </div>
      <Table head={['Resource', ...actions]}>
        {catalog.map((c) => (
          <tr key={c.resource}>
            <Td className="font-medium">{c.resource}</Td>
            {actions.map((a) => {
              const permission = `${c.resource}:${a}`;
              return (
                <Td key={a}>
                  {c.actions.includes(a) ? (
                    <Select
                      aria-label={permission}
                      className="h-7 w-20 text-xs"
                      disabled={role.key === 'admin'}
                      value={grants.get(permission) ?? 'none'}
                      onChange={(e) => set(permission, e.target.value as ScopeChoice)}
                    >
                      <option value="none">—</option>
                      <option value="own">own</option>
                      <option value="team">team</option>
                      <option value="all">all</option>
                    </Select>
                  ) : null}
                </Td>
              );
            })}
          </tr>
        ))}
      </Table>
    </Card>
  );
}

type Explanation = Json<'/api/v1/access/explain', 'get'>;

function ExplainTool({ catalog }: { catalog: Catalog }) {
  const users = useQuery(usersQuery);
  const [userId, setUserId] = useState('');
  const [resource, setResource] = useState('contacts');
  const [id, setId] = useState('');
  const [result, setResult] = useState<Explanation | null>(null);
  const run = async () => {
    try {
      setResult(
        await unwrap(
          http.GET('/api/v1/access/explain', {
            params: { query: { userId, resource, ...(id.trim() ? { id: id.trim() } : {}) } },
          }),
        ),
      );
    } catch (e) {
      showApiError(e);
    }
  };
  return (
    <Card>
      <h2 className="font-medium text-ink">Explain access</h2>
      <p className="mt-1 text-sm text-ink-soft">
        Why can (or can't) someone see or change a record? Pick a person, a resource and optionally
        a record id.
      </p>
      <div className="mt-3 grid gap-3 sm:grid-cols-4">
        <Field label="Person" id="explain-user">
          <Select id="explain-user" value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">Choose…</option>
            {users.data?.data.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Resource" id="explain-resource">
          <Select
            id="explain-resource"
            value={resource}
            onChange={(e) => setResource(e.target.value)}
          >
            {catalog.map((c) => (
              <option key={c.resource}>{c.resource}</option>
            ))}
          </Select>
        </Field>
        <Field label="Record id (optional)" id="explain-id">
          <Input id="explain-id" value={id} onChange={(e) => setId(e.target.value)} />
        </Field>
        <div className="flex items-end">
          <Button onClick={() => void run()} disabled={!userId}>
            Explain
          </Button>
        </div>
      </div>
      {result ? (
        <div className="mt-4">
          <Table head={['Action', 'Allowed', 'Role', 'Scope', 'Why']}>
            {result.decisions.map((d) => (
              <tr key={d.action}>
                <Td>{d.action}</Td>
                <Td>
                  {d.allowed ? <Badge tone="success">yes</Badge> : <Badge tone="danger">no</Badge>}
                </Td>
                <Td>{d.role ?? '—'}</Td>
                <Td>{d.scope ?? '—'}</Td>
                <Td className="text-ink-soft">{d.reason}</Td>
              </tr>
            ))}
          </Table>
        </div>
      ) : null}
    </Card>
  );
}

export default function Roles() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const roles = useQuery(rolesQuery);
  const catalog = useQuery({
    queryKey: keys.permissions,
    queryFn: () => unwrap(http.GET('/api/v1/permissions')),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const role = roles.data?.data.find((r) => r.id === selected) ?? roles.data?.data[0];
  return (
    <div className="space-y-5">
      <PageHeader
        title="Roles and permissions"
        description="Roles are data: change what each can do, on their own records, their team's, or all."
      />
      {roles.isPending || !catalog.data ? (
        <Skeleton />
      ) : (
        <>
          <div className="flex flex-wrap gap-2">
            {roles.data?.data.map((r) => (
              <Button
                key={r.id}
                size="sm"
                variant={r.id === role?.id ? 'primary' : 'secondary'}
                onClick={() => setSelected(r.id)}
              >
                {r.name} · {r.userCount}
              </Button>
            ))}
          </div>
          {role && can(me, 'roles:update') ? (
            <RoleEditor
              key={role.id}
              role={role}
              catalog={catalog.data.data}
              // A user's row names their role: a renamed role or new grants refresh both lists.
              onSaved={() => {
                void queryClient.invalidateQueries({ queryKey: keys.roles });
                void queryClient.invalidateQueries({ queryKey: keys.users });
              }}
            />
          ) : null}
          <ExplainTool catalog={catalog.data.data} />
        </>
      )}
    </div>
  );
}
