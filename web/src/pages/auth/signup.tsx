import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { loadSession } from '../../api/session';
import { Button, Field, Input, Skeleton } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { AuthFrame } from './auth-frame';

const schema = z.object({
  name: z.string().trim().min(1, 'Enter your name'),
  email: z.email('Enter a valid email'),
  password: z.string().min(10, 'At least 10 characters'),
  organizationName: z.string().trim().min(1, 'Name your organization'),
});
type Values = z.infer<typeof schema>;

export default function Signup() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const config = useQuery({
    queryKey: keys.authConfig,
    queryFn: () => unwrap(http.GET('/api/v1/auth/config')),
  });
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(http.POST('/api/v1/auth/register', { body: values }));
      await loadSession(queryClient);
      void navigate('/');
    } catch (e) {
      showApiError(e, form.setError, ['name', 'email', 'password', 'organizationName']);
    }
  });
  const e = form.formState.errors;
  const footer = (
    <>
      Already have an account?{' '}
      <Link
        className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
        to="/login"
      >
        Log in
      </Link>
    </>
  );
  if (config.isPending)
    return (
      <AuthFrame title="Create your organization">
        <Skeleton rows={4} />
      </AuthFrame>
    );
  if (config.data && !config.data.allowSignup) {
    return (
      <AuthFrame title="Sign-up is by invitation" footer={footer}>
        <p className="text-sm text-ink-soft">
          This Cerebro does not accept new organizations. Ask an admin of your organization to
          invite you; the invitation email has a link to create your account.
        </p>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame
      title="Create your organization"
      subtitle="You will be its admin and can invite your team next."
      footer={footer}
    >
      <form onSubmit={(ev) => void onSubmit(ev)} className="space-y-4" noValidate>
        <Field label="Your name" id="name" error={e.name?.message}>
          <Input
            id="name"
            autoComplete="name"
            data-testid="signup-name"
            autoFocus
            {...form.register('name')}
          />
        </Field>
        <Field label="Work email" id="email" error={e.email?.message}>
          <Input
            id="email"
            type="email"
            autoComplete="email"
            data-testid="signup-email"
            {...form.register('email')}
          />
        </Field>
        <Field
          label="Password"
          id="password"
          error={e.password?.message}
          hint="At least 10 characters"
        >
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            data-testid="signup-password"
            {...form.register('password')}
          />
        </Field>
        <Field label="Organization" id="organizationName" error={e.organizationName?.message}>
          <Input
            id="organizationName"
            autoComplete="organization"
            data-testid="signup-organization"
            {...form.register('organizationName')}
          />
        </Field>
        <Button
          type="submit"
          data-testid="signup-submit"
          className="w-full"
          disabled={form.formState.isSubmitting}
        >
          {form.formState.isSubmitting ? 'Creating…' : 'Create organization'}
        </Button>
      </form>
    </AuthFrame>
  );
}
