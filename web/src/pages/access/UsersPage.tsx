import { Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { roleLabel, useRoles } from '../../api/roles';
import type { Role, User } from '../../api/types';
import { useUserActions, useUsers } from '../../api/users';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageTitle } from '../../components/PageTitle';
import { ScrollableTable } from '../../components/ScrollableTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../components/time';
import { useActiveSession } from '../../session/SessionProvider';
import { CreateUserForm } from './CreateUserForm';
import { ManageUserModal, type ConfirmedAction } from './ManageUserModal';
import { TemporaryPasswordModal, type IssuedPassword } from './TemporaryPassword';

type Confirmation = { kind: ConfirmedAction; user: User };

const CONFIRMATIONS: Record<Confirmation['kind'], { title: string; message: (u: User, roles: Role[] | undefined) => string; label: string }> = {
  disable: {
    title: 'Disable user',
    message: (u) => `${u.displayName} (${u.username}) will be signed out and will not be able to sign in until enabled again.`,
    label: 'Disable',
  },
  'reset-password': {
    title: 'Reset password',
    message: (u) =>
      `${u.username} is signed out and gets a new temporary password, to be changed at their next sign-in. Their current password stops working.`,
    label: 'Reset password',
  },
  'reset-mfa': {
    title: 'Reset two-step verification',
    message: (u, roles) => {
      const stops = `${u.username}'s authenticator app and recovery codes stop working, and ${u.username} is signed out.`;
      // Only some roles must use two-step verification (GET /api/roles, requiresMfa); for the rest it is a choice.
      const required = roles?.find((r) => r.role === u.role)?.requiresMfa;
      if (required === undefined) return `${stops} If their role requires two-step verification, they set it up again at their next sign-in.`;
      return required
        ? `${stops} Their role (${roleLabel(u.role, roles)}) requires two-step verification, so they set it up again at their next sign-in.`
        : `${stops} Their role (${roleLabel(u.role, roles)}) does not require it, so it stays off until they set it up again under My account.`;
    },
    label: 'Reset two-step verification',
  },
};

export function UsersPage() {
  const me = useActiveSession();
  const users = useUsers();
  const roles = useRoles();
  const actions = useUserActions();
  const [issued, setIssued] = useState<IssuedPassword | null>(null);
  const [managingId, setManagingId] = useState<string | null>(null);
  // The list's copy, so the dialog shows each change as soon as the list refreshes.
  const managing = users.data?.find((u) => u.id === managingId) ?? null;
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  const done = (message: string) => notifications.show({ message, color: 'green' });

  const confirm = () => {
    if (!confirmation) return;
    const { kind, user } = confirmation;
    const close = () => setConfirmation(null);
    if (kind === 'disable') {
      actions.update.mutate(
        { id: user.id, change: { active: false } },
        {
          onSuccess: () => {
            close();
            done(`${user.username} is disabled.`);
          },
        },
      );
    } else if (kind === 'reset-password') {
      actions.resetPassword.mutate(user.id, {
        onSuccess: ({ temporaryPassword }) => {
          close();
          setIssued({ username: user.username, password: temporaryPassword, reason: 'reset' });
        },
      });
    } else {
      actions.resetMfa.mutate(user.id, {
        onSuccess: () => {
          close();
          done(`Two-step verification for ${user.username} is reset.`);
        },
      });
    }
  };
  const confirmMutation =
    confirmation?.kind === 'disable' ? actions.update : confirmation?.kind === 'reset-password' ? actions.resetPassword : actions.resetMfa;

  const startConfirmation = (next: Confirmation) => {
    actions.update.reset();
    actions.resetPassword.reset();
    actions.resetMfa.reset();
    setManagingId(null);
    setConfirmation(next);
  };

  return (
    <Stack gap="lg">
      <PageTitle>Users</PageTitle>

      <Paper withBorder p="md" component="section" aria-labelledby="add-user-heading">
        <Title order={2} size="h4" id="add-user-heading" mb="sm">
          Add a user
        </Title>
        {roles.error ? (
          <ProblemAlert error={roles.error} />
        ) : (
          <CreateUserForm
            roles={roles.data ?? []}
            onCreated={(username, password) => setIssued({ username, password, reason: 'created' })}
          />
        )}
      </Paper>

      <section aria-labelledby="user-list-heading">
        <Title order={2} size="h4" id="user-list-heading" mb="sm">
          All users
        </Title>
        <ProblemAlert error={users.error} />
        {users.isPending ? (
          <Loader role="status" aria-label="Loading users" />
        ) : (
          <ScrollableTable label="Table of users" minWidth={860}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Username</Table.Th>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col" miw={180}>
                    Status
                  </Table.Th>
                  <Table.Th scope="col">Two-step verification</Table.Th>
                  <Table.Th scope="col">Last sign-in</Table.Th>
                  <Table.Th scope="col">
                    <Text span size="sm" fw={700}>
                      Actions
                    </Text>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(users.data ?? []).map((user) => (
                  <Table.Tr key={user.id} data-testid={`user-row-${user.username}`}>
                    <Table.Td>{user.username}</Table.Td>
                    <Table.Td>{user.displayName}</Table.Td>
                    <Table.Td>{roleLabel(user.role, roles.data)}</Table.Td>
                    <Table.Td>
                      <UserStatus user={user} />
                    </Table.Td>
                    <Table.Td>{user.mfaEnrolled ? 'Set up' : 'Not set up'}</Table.Td>
                    <Table.Td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'Never'}</Table.Td>
                    <Table.Td>
                      <Button variant="default" size="xs" onClick={() => setManagingId(user.id)} aria-label={`Manage ${user.username}`}>
                        Manage
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        )}
      </section>

      <TemporaryPasswordModal issued={issued} onClose={() => setIssued(null)} />
      <ManageUserModal
        user={managing}
        roles={roles.data ?? []}
        selfId={me.user.id}
        onConfirm={(kind, user) => startConfirmation({ kind, user })}
        onClose={() => setManagingId(null)}
      />
      <ConfirmModal
        opened={confirmation !== null}
        title={confirmation ? CONFIRMATIONS[confirmation.kind].title : ''}
        message={confirmation ? CONFIRMATIONS[confirmation.kind].message(confirmation.user, roles.data) : ''}
        confirmLabel={confirmation ? CONFIRMATIONS[confirmation.kind].label : ''}
        pending={confirmMutation.isPending}
        error={confirmation ? confirmMutation.error : null}
        onConfirm={confirm}
        onClose={() => setConfirmation(null)}
      />
    </Stack>
  );
}

function UserStatus({ user }: { user: User }) {
  // Each badge keeps its whole text (max-content): a badge's label otherwise shrinks to "MUST CHANGE PASSW…" in a narrow column.
  return (
    <Group gap={4} wrap="wrap">
      {/* Shade 9 (teal, red) and grey 7 keep white badge text above 4.5:1 on striped rows. */}
      {!user.active && <Badge color="gray.7" variant="filled" miw="max-content">Disabled</Badge>}
      {user.locked && <Badge color="red.9" variant="filled" miw="max-content">Locked</Badge>}
      {user.active && !user.locked && <Badge color="teal.9" variant="filled" miw="max-content">Active</Badge>}
      {user.mustChangePassword && <Badge color="gray.7" variant="outline" miw="max-content">Must change password</Badge>}
    </Group>
  );
}
