import { Alert, Button, Paper, Stack, Table, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { apiRequest } from '../../api/client';
import { roleLabel, useRoles } from '../../api/roles';
import type { MfaEnrolmentConfirmation } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageTitle } from '../../components/PageTitle';
import { useActiveSession, useSession } from '../../session/SessionProvider';
import { ChangePasswordForm } from './ChangePasswordForm';
import { MfaEnrolmentPanel } from './MfaEnrolmentPanel';
import { RecoveryCodes } from './RecoveryCodes';

export function AccountPage() {
  const session = useActiveSession();
  const { setSession } = useSession();
  const roles = useRoles();
  const [enrolling, setEnrolling] = useState(false);
  const [confirmed, setConfirmed] = useState<MfaEnrolmentConfirmation | null>(null);
  const [askingForNewCodes, setAskingForNewCodes] = useState(false);
  const newCodes = useMutation({
    mutationFn: () => apiRequest<{ recoveryCodes: string[] }>('/api/auth/mfa/recovery-codes', { method: 'POST' }).then((b) => b.recoveryCodes),
    onSuccess: () => setAskingForNewCodes(false),
  });
  const { user } = session;

  return (
    <Stack gap="lg" maw={640}>
      <PageTitle>My account</PageTitle>

      <Paper withBorder p="md" component="section" aria-labelledby="details-heading">
        <Title order={2} size="h4" id="details-heading" mb="sm">
          Your details
        </Title>
        <Table variant="vertical" withTableBorder={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row" w={200}>Username</Table.Th>
              <Table.Td>{user.username}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Name</Table.Th>
              <Table.Td>{user.displayName}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Role</Table.Th>
              <Table.Td>{roleLabel(user.role, roles.data)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Two-step verification</Table.Th>
              <Table.Td>{user.mfaEnrolled ? 'Set up' : 'Not set up'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="password-heading">
        <Title order={2} size="h4" id="password-heading" mb="sm">
          Change your password
        </Title>
        <ChangePasswordForm
          username={user.username}
          submitLabel="Change password"
          onChanged={(next) => {
            setSession(next);
            notifications.show({ message: 'Your password is changed.', color: 'green' });
          }}
        />
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="mfa-heading">
        <Title order={2} size="h4" id="mfa-heading" mb="sm">
          Two-step verification
        </Title>
        {confirmed ? (
          <RecoveryCodes
            codes={confirmed.recoveryCodes}
            onDone={() => {
              setSession(confirmed.session);
              setConfirmed(null);
              setEnrolling(false);
            }}
          />
        ) : newCodes.data ? (
          <RecoveryCodes codes={newCodes.data} onDone={() => newCodes.reset()} />
        ) : user.mfaEnrolled ? (
          <Stack gap="sm" align="flex-start">
            <Alert color="green" variant="light" title="Two-step verification is on" role="status">
              You sign in with a code from your authenticator app. If you lose your phone and your recovery codes, ask an
              administrator to reset it.
            </Alert>
            <Button
              variant="default"
              onClick={() => {
                newCodes.reset();
                setAskingForNewCodes(true);
              }}
            >
              Get new recovery codes
            </Button>
          </Stack>
        ) : enrolling ? (
          <MfaEnrolmentPanel onConfirmed={setConfirmed} onCancel={() => setEnrolling(false)} />
        ) : (
          <Stack gap="sm" align="flex-start">
            <Alert color="yellow" variant="light" title="Two-step verification is off" role="status">
              A code from your phone at each sign-in protects patients' records if your password is ever stolen.
            </Alert>
            <Button onClick={() => setEnrolling(true)}>Set up two-step verification</Button>
          </Stack>
        )}
      </Paper>

      <ConfirmModal
        opened={askingForNewCodes}
        title="Get new recovery codes"
        message="Your current recovery codes stop working as soon as the new ones are made, including any you have printed or saved. You will see the new codes once, to save them."
        confirmLabel="Get new recovery codes"
        pending={newCodes.isPending}
        error={newCodes.error}
        onConfirm={() => newCodes.mutate()}
        onClose={() => setAskingForNewCodes(false)}
      />
    </Stack>
  );
}
