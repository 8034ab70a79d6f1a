import { Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import type { SessionInfo } from '../../api/types';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export function MfaCodeForm({ onVerified }: { onVerified(session: SessionInfo): void }) {
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (value.trim() ? null : 'Enter the code from your app or a recovery code.') },
  });
  const verify = useMutation({
    mutationFn: (code: string) => apiRequest<SessionInfo>('/api/auth/mfa/verify', { method: 'POST', body: { code } }),
    onSuccess: onVerified,
    onError: (error) => {
      form.setFieldValue('code', '');
      form.setErrors(fieldErrorsFor(error, { code: 'code' }));
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => verify.mutate(values.code.trim()))} noValidate>
      <Stack gap="sm">
        <ProblemAlert error={verify.error} />
        <TextInput
          label="Verification code"
          description="The 6-digit code from your authenticator app, or one of your recovery codes."
          autoComplete="one-time-code"
          required
          autoFocus
          {...form.getInputProps('code')}
        />
        <Button type="submit" loading={verify.isPending}>
          Verify
        </Button>
      </Stack>
    </form>
  );
}
