import { Button, List, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import type { SessionInfo } from '../../api/types';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';
import { checkNewPassword, PASSWORD_POLICY_TEXT } from './password-policy';

interface Props {
  username: string;
  submitLabel: string;
  onChanged(session: SessionInfo): void;
}

export function ChangePasswordForm({ username, submitLabel, onChanged }: Props) {
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (value) => (value ? null : 'Enter your current password.'),
      newPassword: (value, values) =>
        checkNewPassword(value, username) ?? (value === values.currentPassword ? 'Choose a password different from the current one.' : null),
      confirmPassword: (value, values) => (value === values.newPassword ? null : 'The two new passwords do not match.'),
    },
  });
  const change = useMutation({
    mutationFn: (values: { currentPassword: string; newPassword: string }) =>
      apiRequest<SessionInfo>('/api/auth/password', {
        method: 'POST',
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      }),
    onSuccess: (session) => {
      form.reset();
      onChanged(session);
    },
    onError: (error) => form.setErrors(fieldErrorsFor(error, { currentPassword: 'currentPassword', newPassword: 'newPassword' })),
  });

  return (
    <form onSubmit={form.onSubmit((values) => change.mutate(values))} noValidate>
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={600}>
            Your new password must be:
          </Text>
          <List size="sm">
            {PASSWORD_POLICY_TEXT.map((rule) => (
              <List.Item key={rule}>{rule}</List.Item>
            ))}
          </List>
        </div>
        <ProblemAlert error={change.error} />
        <PasswordInput label="Current password" autoComplete="current-password" required {...form.getInputProps('currentPassword')} />
        <PasswordInput label="New password" autoComplete="new-password" required {...form.getInputProps('newPassword')} />
        <PasswordInput label="Confirm new password" autoComplete="new-password" required {...form.getInputProps('confirmPassword')} />
        <Button type="submit" loading={change.isPending}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
