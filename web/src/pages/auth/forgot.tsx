import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { Button, Field, Input } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { AuthFrame } from './auth-frame';

const schema = z.object({ email: z.email('Enter a valid email') });

export default function Forgot() {
  const [sent, setSent] = useState(false);
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema) });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(http.POST('/api/v1/auth/password/forgot', { body: values }));
      setSent(true);
    } catch (e) {
      showApiError(e, form.setError, ['email']);
    }
  });
  return (
    <AuthFrame
      title="Reset your password"
      footer={
        <Link
          className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
          to="/login"
        >
          Back to log in
        </Link>
      }
    >
      {sent ? (
        <p className="text-sm text-ink-soft" role="status">
          If an account exists for that address, an email with a reset link is on its way. The link
          works for one hour.
        </p>
      ) : (
        <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
          <Field label="Email" id="email" error={form.formState.errors.email?.message}>
            <Input
              id="email"
              type="email"
              autoComplete="email"
              data-testid="forgot-email"
              autoFocus
              {...form.register('email')}
            />
          </Field>
          <Button
            type="submit"
            className="w-full"
            data-testid="forgot-submit"
            disabled={form.formState.isSubmitting}
          >
            Send reset link
          </Button>
        </form>
      )}
    </AuthFrame>
  );
}
