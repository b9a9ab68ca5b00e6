import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { loadSession } from '../../api/session';
import { Button, Field, Input } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { AuthFrame } from './auth-frame';

const schema = z.object({
  email: z.email('Enter a valid email'),
  password: z.string().min(1, 'Enter your password'),
});
const mfaSchema = z.object({
  code: z.string().trim().min(6, 'Enter the 6-digit code or a recovery code'),
});

export default function Login() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema) });
  const mfa = useForm<z.infer<typeof mfaSchema>>({ resolver: zodResolver(mfaSchema) });

  const done = async () => {
    await loadSession(queryClient);
    void navigate('/');
  };
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const res = await unwrap(http.POST('/api/v1/auth/login', { body: values }));
      if ('mfaRequired' in res && res.mfaRequired && res.mfaToken) setMfaToken(res.mfaToken);
      else await done();
    } catch (e) {
      showApiError(e, form.setError, ['email', 'password']);
    }
  });
  const onMfa = mfa.handleSubmit(async (values) => {
    try {
      await unwrap(
        http.POST('/api/v1/auth/mfa/verify', {
          body: { mfaToken: mfaToken ?? '', code: values.code },
        }),
      );
      await done();
    } catch (e) {
      showApiError(e, mfa.setError, ['code']);
    }
  });

  if (mfaToken) {
    return (
      <AuthFrame
        title="Two-step verification"
        subtitle="Enter the code from your authenticator app, or one of your recovery codes."
      >
        <form onSubmit={(e) => void onMfa(e)} className="space-y-4" noValidate>
          <Field label="Code" id="mfa-code" error={mfa.formState.errors.code?.message}>
            <Input
              id="mfa-code"
              data-testid="mfa-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              autoFocus
              {...mfa.register('code')}
            />
          </Field>
          <Button
            type="submit"
            data-testid="mfa-submit"
            className="w-full"
            disabled={mfa.formState.isSubmitting}
          >
            Verify
          </Button>
        </form>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame
      title="Log in"
      subtitle="Welcome back."
      footer={
        <>
          New here?{' '}
          <Link
            className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
            to="/signup"
          >
            Create an organization
          </Link>
        </>
      }
    >
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
        <Field label="Email" id="email" error={form.formState.errors.email?.message}>
          <Input
            id="email"
            type="email"
            autoComplete="email"
            data-testid="login-email"
            autoFocus
            aria-invalid={Boolean(form.formState.errors.email)}
            {...form.register('email')}
          />
        </Field>
        <Field label="Password" id="password" error={form.formState.errors.password?.message}>
          <Input
            id="password"
            type="password"
            autoComplete="current-password"
            data-testid="login-password"
            aria-invalid={Boolean(form.formState.errors.password)}
            {...form.register('password')}
          />
        </Field>
        <Button
          type="submit"
          data-testid="login-submit"
          className="w-full"
          disabled={form.formState.isSubmitting}
        >
          {form.formState.isSubmitting ? 'Logging in…' : 'Log in'}
        </Button>
        <p className="text-center text-sm">
          <Link className="text-ink-soft hover:text-accent" to="/forgot-password">
            Forgot your password?
          </Link>
        </p>
      </form>
    </AuthFrame>
  );
}
