import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { Button, Field, Input } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { AuthFrame } from './auth-frame';

const schema = z.object({ password: z.string().min(10, 'At least 10 characters') });

export default function Reset() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token') ?? '';
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema) });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(
        http.POST('/api/v1/auth/password/reset', { body: { token, password: values.password } }),
      );
      toast.success('Password changed. Log in with the new one.');
      void navigate('/login');
    } catch (e) {
      showApiError(e, form.setError, ['password']);
    }
  });
  return (
    <AuthFrame
      title="Choose a new password"
      footer={
        <Link
          className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
          to="/forgot-password"
        >
          Request a new link
        </Link>
      }
    >
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
        <Field
          label="New password"
          id="password"
          error={form.formState.errors.password?.message}
          hint="At least 10 characters. Every other session will be logged out."
        >
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            autoFocus
            {...form.register('password')}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={!token || form.formState.isSubmitting}>
          Set password
        </Button>
      </form>
    </AuthFrame>
  );
}
