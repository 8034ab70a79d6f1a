import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { ApiError, apiRequest } from '../../api/client';
import type { SessionInfo } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { AuthLayout } from './AuthLayout';

// The lock-out lasts CHARTROOM_LOCKOUT_MINUTES on the server (15 by default), a setting the browser is not told.
const LOCKED_HINT = 'Accounts unlock automatically after a while (15 minutes unless your organisation set otherwise), or an administrator can unlock yours.';

export function SignInForm() {
  const { setSession, signedOut } = useSession();
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() ? null : 'Enter your username.'),
      password: (value) => (value ? null : 'Enter your password.'),
    },
  });
  const signIn = useMutation({
    mutationFn: (values: { username: string; password: string }) =>
      apiRequest<SessionInfo>('/api/auth/login', { method: 'POST', body: { username: values.username.trim(), password: values.password } }),
    onSuccess: setSession,
    onError: () => form.setFieldValue('password', ''),
  });

  return (
    <AuthLayout title="Sign in to Chartroom">
      {signedOut?.message && !signIn.error && (
        <Alert color="blue" variant="light" title="Signed out" role="status">
          {signedOut.message}
        </Alert>
      )}
      <ProblemAlert error={signIn.error} hint={signIn.error instanceof ApiError && signIn.error.code === 'auth.locked' ? LOCKED_HINT : undefined} />
      <form onSubmit={form.onSubmit((values) => signIn.mutate(values))} noValidate>
        <Stack gap="sm">
          <TextInput label="Username" autoComplete="username" required autoFocus {...form.getInputProps('username')} />
          <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
