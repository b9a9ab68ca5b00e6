import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { loadSession } from '../../api/session';
import { Button, Field, Input, Skeleton } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { AuthFrame } from './auth-frame';

const schema = z.object({
  name: z.string().trim().min(1, 'Enter your name'),
  password: z.string().min(10, 'At least 10 characters'),
});

export default function AcceptInvitation() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invitation = useQuery({
    queryKey: keys.invitation(token),
    queryFn: () => unwrap(http.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
    enabled: token.length > 0,
  });
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema) });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(http.POST('/api/v1/invitations/accept', { body: { token, ...values } }));
      await loadSession(queryClient);
      void navigate('/');
    } catch (e) {
      showApiError(e, form.setError, ['name', 'password']);
    }
  });
  if (!token || invitation.isError) {
    return (
      <AuthFrame
        title="Invitation not found"
        footer={
          <Link
            className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
            to="/login"
          >
            Log in
          </Link>
        }
      >
        <p className="text-sm text-ink-soft">
          This invitation link is invalid, was already used, or has expired. Ask your admin to send
          a new one.
        </p>
      </AuthFrame>
    );
  }
  if (!invitation.data)
    return (
      <AuthFrame title="Join your team">
        <Skeleton rows={3} />
      </AuthFrame>
    );
  return (
    <AuthFrame
      title={`Join ${invitation.data.organizationName}`}
      subtitle={`You were invited as ${invitation.data.email}.`}
    >
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
        <Field label="Your name" id="name" error={form.formState.errors.name?.message}>
          <Input id="name" autoComplete="name" autoFocus {...form.register('name')} />
        </Field>
        <Field
          label="Password"
          id="password"
          error={form.formState.errors.password?.message}
          hint="At least 10 characters"
        >
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            {...form.register('password')}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
          Create account
        </Button>
      </form>
    </AuthFrame>
  );
}
