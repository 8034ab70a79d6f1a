import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiError } from '../../api/client';
import type { Role } from '../../api/types';
import { useUserActions, type NewUser } from '../../api/users';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';

export function CreateUserForm({ roles, onCreated }: { roles: Role[]; onCreated(username: string, temporaryPassword: string): void }) {
  const { create } = useUserActions();
  const form = useForm<NewUser>({
    initialValues: { username: '', displayName: '', role: '' },
    validate: {
      username: (value) => (/^[a-zA-Z0-9._-]{2,64}$/.test(value.trim()) ? null : 'Use 2 to 64 letters, digits, dots, dashes or underscores.'),
      displayName: (value) => (value.trim() ? null : 'Enter the person’s name.'),
      role: (value) => (value ? null : 'Choose a role.'),
    },
  });

  const submit = (values: NewUser) =>
    create.mutate(
      { username: values.username.trim(), displayName: values.displayName.trim(), role: values.role },
      {
        onSuccess: ({ user, temporaryPassword }) => {
          form.reset();
          onCreated(user.username, temporaryPassword);
        },
        onError: (error) => {
          const fields = fieldErrorsFor(error, { username: 'username', displayName: 'displayName', role: 'role' });
          // The server names no field for a taken username; the form puts the message beside it.
          if (error instanceof ApiError && error.code === 'user.username-taken') fields.username = error.message;
          form.setErrors(fields);
        },
      },
    );

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <ProblemAlert error={create.error} />
      <Group align="flex-start" gap="sm" mt={create.error ? 'sm' : 0}>
        <TextInput label="Username" autoComplete="off" required {...form.getInputProps('username')} />
        <TextInput label="Display name" autoComplete="off" required {...form.getInputProps('displayName')} />
        <NativeSelect
          label="Role"
          required
          data={[{ value: '', label: 'Choose a role' }, ...roles.map((r) => ({ value: r.role, label: r.label }))]}
          {...form.getInputProps('role')}
        />
        <Button type="submit" mt={25} loading={create.isPending}>
          Create user
        </Button>
      </Group>
    </form>
  );
}
