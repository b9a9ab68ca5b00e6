import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { useMe } from '../../api/session';
import {
  Badge,
  Button,
  Card,
  Field,
  formatDate,
  Input,
  PageHeader,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

const passwordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password'),
  newPassword: z.string().min(10, 'At least 10 characters'),
});

function PasswordCard() {
  const queryClient = useQueryClient();
  const form = useForm<z.infer<typeof passwordSchema>>({ resolver: zodResolver(passwordSchema) });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(http.POST('/api/v1/auth/password/change', { body: values }));
      form.reset();
      // The other sessions were signed out: the list below shows only this one now.
      void queryClient.invalidateQueries({ queryKey: keys.sessions });
      toast.success('Password changed; your other sessions were logged out');
    } catch (e) {
      showApiError(e, form.setError, ['currentPassword', 'newPassword']);
    }
  });
  return (
    <Card>
      <h2 className="font-medium text-ink">Password</h2>
      <form onSubmit={(e) => void onSubmit(e)} className="mt-4 grid max-w-md gap-3" noValidate>
        <Field
          label="Current password"
          id="currentPassword"
          error={form.formState.errors.currentPassword?.message}
        >
          <Input
            id="currentPassword"
            type="password"
            autoComplete="current-password"
            {...form.register('currentPassword')}
          />
        </Field>
        <Field
          label="New password"
          id="newPassword"
          error={form.formState.errors.newPassword?.message}
        >
          <Input
            id="newPassword"
            type="password"
            autoComplete="new-password"
            {...form.register('newPassword')}
          />
        </Field>
        <div>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Change password
          </Button>
        </div>
      </form>
    </Card>
  );
}

function MfaCard() {
  const me = useMe();
  const queryClient = useQueryClient();
  const [setup, setSetup] = useState<{ secret: string; qrCodeDataUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const enabled = me.data?.user.mfaEnabled ?? false;
  // Settings → Users shows whether each user has two-step verification.
  const refresh = async () => {
    void queryClient.invalidateQueries({ queryKey: keys.users });
    await queryClient.invalidateQueries({ queryKey: keys.me });
  };
  const start = async () => {
    try {
      setSetup(await unwrap(http.POST('/api/v1/auth/mfa/setup')));
    } catch (e) {
      showApiError(e);
    }
  };
  const enable = async () => {
    try {
      const res = await unwrap(http.POST('/api/v1/auth/mfa/enable', { body: { code } }));
      setRecovery(res.recoveryCodes);
      setSetup(null);
      await refresh();
    } catch (e) {
      showApiError(e);
    }
  };
  const disable = async () => {
    try {
      await unwrap(http.POST('/api/v1/auth/mfa/disable', { body: { password } }));
      setPassword('');
      await refresh();
      toast.success('Two-step verification is off');
    } catch (e) {
      showApiError(e);
    }
  };
  return (
    <Card>
      <div className="flex items-center gap-2">
        <h2 className="font-medium text-ink">Two-step verification</h2>
        <Badge tone={enabled ? 'success' : 'neutral'}>{enabled ? 'On' : 'Off'}</Badge>
      </div>
      <p className="mt-1 text-sm text-ink-soft">
        A code from an authenticator app (1Password, Google Authenticator, Authy…) is asked for
        after your password.
      </p>
      {recovery ? (
        <div className="mt-4 rounded-md border border-line bg-muted p-3">
          <p className="text-sm font-medium text-ink">
            Recovery codes — save them now, they are shown once
          </p>
          <pre
            className="mt-2 grid grid-cols-2 gap-1 font-mono text-sm text-ink"
            data-testid="recovery-codes"
          >
            {recovery.join('\n')}
          </pre>
          <Button
            size="sm"
            variant="secondary"
            className="mt-2"
            onClick={() =>
              void navigator.clipboard
                .writeText(recovery.join('\n'))
                .then(() => toast.success('Copied'))
            }
          >
            Copy
          </Button>
        </div>
      ) : null}
      {!enabled && !setup ? (
        <Button className="mt-4" onClick={() => void start()} data-testid="mfa-setup">
          Set up
        </Button>
      ) : null}
      {setup ? (
        <div className="mt-4 flex flex-wrap items-start gap-5">
          <img
            src={setup.qrCodeDataUrl}
            alt="QR code to scan with your authenticator app"
            className="size-44 rounded border border-line bg-white p-1"
          />
          <div className="max-w-xs space-y-3">
            <p className="text-sm text-ink-soft">
              Scan the code, or enter this key:{' '}
              <code className="break-all text-ink">{setup.secret}</code>
            </p>
            <Field label="Code from the app" id="mfa-enable-code">
              <Input
                id="mfa-enable-code"
                inputMode="numeric"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </Field>
            <Button onClick={() => void enable()} disabled={code.trim().length !== 6}>
              Turn on
            </Button>
          </div>
        </div>
      ) : null}
      {enabled ? (
        <div className="mt-4 flex max-w-md items-end gap-2">
          <Field label="Password to turn it off" id="mfa-disable-password">
            <Input
              id="mfa-disable-password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <Button variant="secondary" onClick={() => void disable()} disabled={!password}>
            Turn off
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function SessionsCard() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: keys.sessions,
    queryFn: () => unwrap(http.GET('/api/v1/sessions', { params: { query: { limit: 200 } } })),
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.DELETE('/api/v1/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
    onError: (e) => showApiError(e),
  });
  return (
    <Card>
      <h2 className="font-medium text-ink">Sessions</h2>
      <p className="mt-1 text-sm text-ink-soft">
        Where you are logged in. Ending a session logs that device out at once.
      </p>
      <div className="mt-4">
        {sessions.isPending ? (
          <Skeleton rows={2} />
        ) : (
          <Table head={['Device', 'Address', 'Started', 'Last active', '']}>
            {sessions.data?.data.map((s) => (
              <tr key={s.id}>
                <Td className="max-w-64 truncate">
                  {s.userAgent ?? 'Unknown'}{' '}
                  {s.current ? <Badge tone="accent">This device</Badge> : null}
                </Td>
                <Td>{s.ip ?? '—'}</Td>
                <Td className="whitespace-nowrap">{formatDate(s.createdAt)}</Td>
                <Td className="whitespace-nowrap">{formatDate(s.lastUsedAt)}</Td>
                <Td className="text-right">
                  {s.current ? null : (
                    <Button size="sm" variant="secondary" onClick={() => revoke.mutate(s.id)}>
                      End
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
    </Card>
  );
}

export default function Profile() {
  const me = useMe().data;
  return (
    <div className="space-y-5">
      <PageHeader
        title="Profile and security"
        description={
          me
            ? `${me.user.name} · ${me.user.email} · ${me.roles.map((r) => r.name).join(', ')}`
            : undefined
        }
      />
      <PasswordCard />
      <MfaCard />
      <SessionsCard />
    </div>
  );
}
