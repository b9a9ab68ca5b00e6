import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { rolesQuery, teamsQuery, usersQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import type { Body, Role, Team } from '../../api/types';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  Field,
  formatDate,
  Input,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

/** What Settings → Users changes on a user: their role or status. */
type UserChange = Body<'/api/v1/users/{id}', 'patch'>;

const inviteSchema = z.object({
  email: z.email('Enter a valid email'),
  roleId: z.string().min(1, 'Choose a role'),
  teamId: z.string(),
});

function InviteDialog({
  open,
  onOpenChange,
  roles,
  teams,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  roles: Role[];
  teams: Team[];
}) {
  const queryClient = useQueryClient();
  const form = useForm<z.infer<typeof inviteSchema>>({
    resolver: zodResolver(inviteSchema),
    defaultValues: { roleId: roles.find((r) => r.key === 'sales_rep')?.id ?? '', teamId: '' },
  });
  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await unwrap(
        http.POST('/api/v1/users/invitations', {
          body: { email: v.email, roleId: v.roleId, teamId: v.teamId || null },
        }),
      );
      toast.success(`Invitation sent to ${v.email}`);
      form.reset();
      onOpenChange(false);
      await queryClient.invalidateQueries({ queryKey: keys.invitations });
    } catch (e) {
      showApiError(e, form.setError, ['email', 'roleId', 'teamId']);
    }
  });
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Invite a teammate"
      description="They get an email with a link to create their account (valid 7 days)."
    >
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-3" noValidate>
        <Field label="Email" id="invite-email" error={form.formState.errors.email?.message}>
          <Input
            id="invite-email"
            type="email"
            data-testid="invite-email"
            {...form.register('email')}
          />
        </Field>
        <Field label="Role" id="invite-role" error={form.formState.errors.roleId?.message}>
          <Select id="invite-role" {...form.register('roleId')}>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Team (optional)" id="invite-team">
          <Select id="invite-team" {...form.register('teamId')}>
            <option value="">No team</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" data-testid="invite-submit" disabled={form.formState.isSubmitting}>
            Send invitation
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export default function Users() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [inviting, setInviting] = useState(false);
  const users = useQuery(usersQuery);
  const invitations = useQuery({
    queryKey: keys.invitations,
    queryFn: () =>
      unwrap(http.GET('/api/v1/users/invitations', { params: { query: { limit: 200 } } })),
  });
  const roles = useQuery({ ...rolesQuery, enabled: can(me, 'roles:read') });
  const teams = useQuery(teamsQuery);
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserChange }) =>
      unwrap(http.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    // A role's user count follows its users' roles.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      void queryClient.invalidateQueries({ queryKey: keys.roles });
    },
    onError: (e) => showApiError(e),
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.DELETE('/api/v1/users/invitations/{id}', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.invitations }),
    onError: (e) => showApiError(e),
  });
  const mayEdit = can(me, 'users:update');
  const pending = invitations.data?.data.filter((i) => !i.acceptedAt) ?? [];
  return (
    <div className="space-y-6">
      <PageHeader
        title="Users and invitations"
        description="Everyone in your organization, their roles and status."
        actions={
          can(me, 'users:create') ? (
            <Button
              data-testid="invite-user"
              onClick={() => setInviting(true)}
              disabled={!roles.data}
            >
              Invite user
            </Button>
          ) : null
        }
      />
      {users.isPending ? (
        <Skeleton />
      ) : (
        <Table head={['Name', 'Email', 'Role', 'Teams', 'MFA', 'Last login', 'Status']}>
          {users.data?.data.map((u) => (
            <tr key={u.id}>
              <Td className="font-medium">{u.name}</Td>
              <Td className="text-ink-soft">{u.email}</Td>
              <Td>
                {mayEdit && roles.data ? (
                  <Select
                    aria-label={`Role of ${u.name}`}
                    className="h-8 w-40"
                    value={u.roles[0]?.id ?? ''}
                    onChange={(e) =>
                      update.mutate({ id: u.id, body: { roleIds: [e.target.value] } })
                    }
                  >
                    {roles.data.data.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                  </Select>
                ) : (
                  u.roles.map((r) => r.name).join(', ')
                )}
              </Td>
              <Td>{u.teams.map((t) => t.name).join(', ') || '—'}</Td>
              <Td>{u.mfaEnabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</Td>
              <Td>{formatDate(u.lastLoginAt)}</Td>
              <Td>
                {mayEdit && u.id !== me?.user.id ? (
                  <Button
                    size="sm"
                    variant={u.status === 'active' ? 'secondary' : 'primary'}
                    onClick={() =>
                      update.mutate({
                        id: u.id,
                        body: { status: u.status === 'active' ? 'disabled' : 'active' },
                      })
                    }
                  >
                    {u.status === 'active' ? 'Disable' : 'Enable'}
                  </Button>
                ) : (
                  <Badge tone={u.status === 'active' ? 'success' : 'danger'}>{u.status}</Badge>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <section>
        <h2 className="mb-3 font-medium text-ink">Pending invitations</h2>
        {pending.length === 0 ? (
          <EmptyState
            title="No pending invitations"
            body="Invite teammates with the button above; their invitations wait here until they accept."
          />
        ) : (
          <Table head={['Email', 'Role', 'Expires', '']}>
            {pending.map((i) => (
              <tr key={i.id}>
                <Td>{i.email}</Td>
                <Td>{i.role.name}</Td>
                <Td>{formatDate(i.expiresAt)}</Td>
                <Td className="text-right">
                  <Button size="sm" variant="secondary" onClick={() => revoke.mutate(i.id)}>
                    Revoke
                  </Button>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      {roles.data && teams.data ? (
        <InviteDialog
          open={inviting}
          onOpenChange={setInviting}
          roles={roles.data.data}
          teams={teams.data.data}
        />
      ) : null}
    </div>
  );
}
